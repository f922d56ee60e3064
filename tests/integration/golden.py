#!/usr/bin/python3
"""Runs golden CLI transcripts (*.test) against a fresh real node.

Format (derived from the RabbitMQ 3.10.8 captures in shared/reference/):

    name users
    description what this file pins

    run warrenctl add_user alice other      # argv, shell-split after substitution
    stdin frompipe                          # optional: one line of standard input
    exit 70
    ----                                    # stdout follows, compared exactly
    Adding user "alice" ...
    ---- stderr                             # optional: stderr follows, compared exactly
    Error:
    User "alice" already exists
    ====                                    # end of the case

    sh <command>                            # a setup step; must exit 0

Lines starting with '#' between cases are comments. Substitutions: {node}, {host},
{port}, {dist_port}, {run_dir}, {data_dir}, {tmp}. ESC bytes in output are shown as ^[.
A case without '----' checks the exit code only; one without '---- stderr' ignores stderr.
"""
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import warren_node  # noqa: E402


def parse(path):
    cases, cur, mode = [], None, None
    with open(path) as f:
        lines = f.read().split("\n")
    for lineno, line in enumerate(lines, 1):
        if cur is not None and mode in ("stdout", "stderr"):
            if line == "====":
                cases.append(cur)
                cur, mode = None, None
            elif line == "---- stderr":
                mode = "stderr"
                cur["stderr"] = []
            else:
                cur[mode].append(line)
            continue
        if line.startswith("run "):
            if cur is not None:
                cases.append(cur)
            cur = {"run": line[4:], "line": lineno, "exit": None, "stdin": None,
                   "stdout": None, "stderr": None}
            mode = "head"
        elif line.startswith("sh "):
            if cur is not None:
                cases.append(cur)
                cur = None
            cases.append({"sh": line[3:], "line": lineno})
        elif cur is not None and line.startswith("exit "):
            cur["exit"] = int(line[5:])
        elif cur is not None and line.startswith("stdin "):
            cur["stdin"] = line[6:] + "\n"
        elif cur is not None and line == "----":
            cur["stdout"] = []
            mode = "stdout"
        elif cur is not None and line == "====":
            cases.append(cur)
            cur, mode = None, None
    if cur is not None:
        if mode in ("stdout", "stderr"):
            raise SystemExit(f"{path}: case at line {cur['line']} has no closing '===='")
        cases.append(cur)
    return cases


def show(text):
    return text.replace("\x1b", "^[")


def main():
    path = sys.argv[1]
    node = warren_node.Node()
    failures = 0
    try:
        node.start()
        subs = {"{node}": node.name, "{host}": node.name.split("@")[1], "{port}": str(node.port),
                "{dist_port}": str(node.port + 20000),
                "{run_dir}": node.run_dir, "{data_dir}": node.data_dir, "{tmp}": node.root}

        def sub(s):
            for k, v in subs.items():
                s = s.replace(k, v)
            return s

        for case in parse(path):
            if "sh" in case:
                r = subprocess.run(sub(case["sh"]), shell=True, env=node.env, capture_output=True,
                                   text=True, timeout=120)
                if r.returncode != 0:
                    print(f"{path}:{case['line']}: setup failed: {case['sh']}\n{r.stdout}{r.stderr}")
                    failures += 1
                continue
            argv = shlex.split(sub(case["run"]))
            argv[0] = os.path.join(node.bin, argv[0])
            r = subprocess.run(argv, env=node.env, capture_output=True, text=True,
                               input=case["stdin"] if case["stdin"] is not None else "",
                               timeout=120)
            problems = []
            if case["exit"] is not None and r.returncode != case["exit"]:
                problems.append(f"exit {r.returncode}, expected {case['exit']}")
            for stream, actual in (("stdout", r.stdout), ("stderr", r.stderr)):
                if case[stream] is None:
                    continue
                expected = sub("\n".join(case[stream]))
                if show(actual).rstrip("\n") != expected.rstrip("\n"):
                    problems.append(f"{stream} differs\n--- expected\n{expected}\n--- actual\n{show(actual)}")
            if problems:
                failures += 1
                print(f"{path}:{case['line']}: run {case['run']}")
                for p in problems:
                    print("  " + p)
                if case["stderr"] is None and r.stderr:
                    print("--- stderr\n" + show(r.stderr))
    finally:
        node.cleanup()
    total = sum(1 for c in parse(path) if "run" in c)
    print(f"{total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
