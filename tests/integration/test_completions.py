"""The generated shell completions and man pages, used for real: bash loads the
completion and its function completes commands, options, option values, node names
and files; groff renders every man page without a warning; cmake --install puts
everything where shells and man look."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import warren_node  # noqa: E402
from warren_node import Node  # noqa: E402

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.path.abspath(os.path.join(warren_node.BIN_DIR or ".", ".."))
COMPLETIONS = os.path.join(BUILD_DIR, "completions")
MAN = os.path.join(BUILD_DIR, "man")
TOOLS = {"warrenctl": "_warrenctl", "warren-plugins": "_warren_plugins",
         "warren-diagnostics": "_warren_diagnostics"}


def complete(line, tool="warrenctl", env=None, cwd=None):
    """What bash's completion function offers for `line` (the cursor at its end)."""
    script = f"""
source {COMPLETIONS}/bash/{tool}
read -r -a COMP_WORDS <<< "$LINE"
[[ $LINE == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE=$LINE
COMP_POINT=${{#LINE}}
{TOOLS[tool]}
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    run_env = dict(os.environ, LINE=line)
    run_env.update(env or {})
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True,
                       text=True, env=run_env, cwd=cwd, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return [w for w in r.stdout.split("\n") if w]


def commands_of(tool):
    """The command names `<tool> help` lists."""
    r = subprocess.run([warren_node.binary(tool), "help"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return sorted(re.findall(r"^   (\S+)\s", r.stdout, re.M))


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_bash_completion_loads_and_registers(tool):
    path = os.path.join(COMPLETIONS, "bash", tool)
    r = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", f"source {path}; complete -p {tool}"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"complete -F {TOOLS[tool]} {tool}"
    # Every command the tool lists, and only those.
    assert sorted(complete(f"{tool} ", tool)) == commands_of(tool)


def test_bash_completes_command_names():
    offered = complete("warrenctl add_")
    assert "add_user" in offered
    assert offered == sorted(c for c in commands_of("warrenctl") if c.startswith("add_"))
    assert complete("warrenctl export_def") == ["export_definitions"]
    # After global options and their values the command is still found.
    assert complete("warrenctl -n x@y --quiet list_use") == sorted(
        c for c in commands_of("warrenctl") if c.startswith("list_use"))
    assert "list_users" in complete("warrenctl help list_")


def test_bash_completes_flags():
    flags = complete("warrenctl list_users --")
    for f in ("--formatter", "--node", "--timeout", "--quiet", "--silent", "--no-table-headers"):
        assert f in flags
    assert "--vhost" not in flags  # list_users is not scoped to a vhost
    assert set(complete("warrenctl apply --")) >= {"--file", "--dry-run", "--prune", "--node"}
    assert set(complete("warrenctl import_definitions --")) >= {"--format", "--skip-if-unchanged"}
    assert complete("warrenctl --formatter ") == ["table", "json", "csv", "pretty_table"]
    assert complete("warrenctl export_definitions x --format ") == ["json", "erlang"]
    assert complete("warrenctl list_users --formatter js") == ["json"]


def test_bash_completes_columns_files_and_nodes():
    with Node() as n:
        offered = complete("warrenctl -n ", env={"WARREN_RUN_DIR": n.run_dir})
        assert offered == [n.name]
    d = tempfile.mkdtemp(prefix="warren-completion-")
    try:
        open(os.path.join(d, "provision.yaml"), "w").close()
        assert complete("warrenctl apply -f prov", cwd=d) == ["provision.yaml"]
        assert complete("warrenctl import_definitions prov", cwd=d) == ["provision.yaml"]
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("shell,path", [("zsh", "zsh/_warrenctl"), ("fish", "fish/warrenctl.fish")])
def test_other_shells_parse_their_completion(shell, path):
    exe = shutil.which(shell)
    if exe is None:
        pytest.skip(f"{shell} is not installed")
    r = subprocess.run([exe, "-n", os.path.join(COMPLETIONS, path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("page", ["warren-server.8", "warrenctl.8", "warren-plugins.8",
                                  "warren-diagnostics.8"])
def test_man_pages_render_without_warnings(page):
    path = os.path.join(MAN, page)
    r = subprocess.run(["groff", "-man", "-Tascii", "-ww", "-z", path], capture_output=True,
                       text=True)
    assert r.returncode == 0
    assert r.stderr == ""
    r = subprocess.run(["groff", "-man", "-Tascii", path], capture_output=True, text=True,
                       env=dict(os.environ, GROFF_NO_SGR="1"))
    text = re.sub(".\b", "", r.stdout)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT", "SEE ALSO"):
        assert re.search(rf"^{section}$", text, re.M), section
    if page == "warren-server.8":
        assert "-detached" in text and "--nodename" in text
        # Every variable of README.md's environment table.
        with open(os.path.join(SOURCE_DIR, "README.md")) as f:
            readme = f.read()
        names = set(re.findall(r"^\| `(WARREN_[A-Z_]+)`", readme, re.M))
        names |= set(re.findall(r"/ `(WARREN_[A-Z_]+)`", readme))
        assert names
        for name in names:
            assert name in text, name
    else:
        tool = page[:-2]
        for command in commands_of(tool):
            assert re.search(rf"^       {re.escape(command)}\b", text, re.M), command


def test_install_puts_files_where_shells_and_man_look():
    # DESTDIR keeps every path, absolute ones included, inside the temporary tree.
    destdir = tempfile.mkdtemp(prefix="warren-install-")
    try:
        r = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", "/usr"],
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, DESTDIR=destdir))
        assert r.returncode == 0, r.stderr
        share = os.path.join(destdir, "usr", "share")
        for tool in TOOLS:
            assert os.path.isfile(os.path.join(share, "bash-completion/completions", tool))
            assert os.path.isfile(os.path.join(share, "zsh/site-functions", "_" + tool))
            assert os.path.isfile(os.path.join(share, "fish/vendor_completions.d", tool + ".fish"))
        for page in ("warren-server.8", "warrenctl.8", "warren-plugins.8", "warren-diagnostics.8"):
            assert os.path.isfile(os.path.join(share, "man/man8", page))
    finally:
        shutil.rmtree(destdir)
