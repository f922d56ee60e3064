"""Writes amqp/spec.cc: Encode/Decode/Validate per method, the dispatch, the properties."""

import re

from spec_model import PRIMITIVES, SpecError, camel, cpp_string, indent

# What a reserved field of each type is written as, and how it is skipped when read.
RESERVED_WRITE = {
    'octet': 'w.U8(0)', 'short': 'w.U16(0)', 'long': 'w.U32(0)', 'longlong': 'w.U64(0)',
    'timestamp': 'w.U64(0)', 'shortstr': 'w.U8(0)', 'longstr': 'w.U32(0)', 'table': 'w.U32(0)',
}
RESERVED_SKIP = {
    'octet': 'r.U8()', 'short': 'r.U16()', 'long': 'r.U32()', 'longlong': 'r.U64()',
    'timestamp': 'r.U64()', 'shortstr': 'r.ShortStr()', 'longstr': 'r.LongStr()',
    'table': 'r.LongStr()',
}

# --- validators ---------------------------------------------------------------

def parse_char_class(regexp):
    """Turns the spec's `^[...]*$` name patterns into (low, high) byte ranges."""
    match = re.fullmatch(r'\^\[([^\]]+)\]\*\$', regexp)
    if not match:
        raise SpecError('unsupported regexp %s (only ^[...]*$ is generated)' % regexp)
    body, ranges, i = match.group(1), [], 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == '-':
            ranges.append((body[i], body[i + 2]))
            i += 3
        else:
            ranges.append((body[i], body[i]))
            i += 1
    return ranges


def char_test(ranges):
    terms = []
    for low, high in ranges:
        if low == high:
            terms.append("c == '%s'" % low.replace("'", "\\'"))
        else:
            terms.append("(c >= '%s' && c <= '%s')" % (low, high))
    return ' || '.join(terms)


class Validators:
    """Collects the regexps so each becomes one character-class function."""

    def __init__(self):
        self.regexps = []

    def function_for(self, regexp):
        if regexp not in self.regexps:
            self.regexps.append(regexp)
        return 'MatchesPattern%d' % self.regexps.index(regexp)

    def checks(self, method):
        out = []
        for f in method.fields:
            if f.reserved:
                continue
            for check, value in f.asserts:
                is_string = f.type in ('shortstr', 'longstr')
                if check == 'notnull':
                    cond = '%s.empty()' % f.value if is_string else '%s == 0' % f.value
                    what = 'must not be empty' if is_string else 'must not be zero'
                    out.append((cond, f.name, what))
                elif check == 'length':
                    out.append(('%s.size() > %s' % (f.value, value), f.name,
                                'is longer than %s bytes' % value))
                elif check == 'regexp':
                    fn = self.function_for(value)
                    out.append(('!%s(%s)' % (fn, f.value), f.name, 'does not match ' + value))
                elif check == 'le':
                    # Compares with a field of another method (tune-ok against tune): that
                    # needs connection state, so the connection layer checks it.
                    continue
                else:
                    raise SpecError('unsupported assert %s on %s' % (check, f.name))
        return out

    def helpers(self):
        out = []
        for i, regexp in enumerate(self.regexps):
            out.append('// %s' % regexp)
            out.append('bool MatchesPattern%d(std::string_view s) {' % i)
            out.append('  for (const char ch : s) {')
            out.append('    const unsigned char c = static_cast<unsigned char>(ch);')
            out.append('    const bool ok = %s;' % char_test(parse_char_class(regexp)).replace(
                ' || ', ' ||\n                    '))
            out.append('    if (!ok) return false;')
            out.append('  }')
            out.append('  return true;')
            out.append('}')
            out.append('')
        return out


# --- field encoding -----------------------------------------------------------

def bit_runs(fields):
    """Yields ('bits', [fields]) for each run of consecutive bits, else ('one', field)."""
    i = 0
    while i < len(fields):
        if fields[i].type == 'bit':
            j = i
            while j < len(fields) and fields[j].type == 'bit':
                j += 1
            run = fields[i:j]
            for k in range(0, len(run), 8):  # a ninth bit starts a new octet
                yield 'bits', run[k:k + 8]
            i = j
        else:
            yield 'one', fields[i]
            i += 1


def encode_body(fields):
    out = []
    for kind, item in bit_runs(fields):
        if kind == 'bits':
            live = [(k, f) for k, f in enumerate(item) if not f.reserved]
            if not live:
                out.append('w.U8(0);  // %s' % '/'.join(f.name for f in item))
                continue
            out.append('{')
            out.append('  uint8_t bits = 0;')
            for k, f in live:
                out.append('  if (%s) bits |= 0x%02x;' % (f.value, 1 << k))
            out.append('  w.U8(bits);')
            out.append('}')
            continue
        f = item
        if f.reserved:
            out.append('%s;  // %s' % (RESERVED_WRITE[f.type], f.name))
            continue
        out.append('w.Field("%s");' % f.name)
        if f.type == 'table':
            out.append('EncodeFieldTable(w, %s);' % f.value)
        else:
            out.append(PRIMITIVES[f.type][2].format(f.value) + ';')
    return out


def decode_body(fields):
    out = []
    for kind, item in bit_runs(fields):
        if kind == 'bits':
            names = '/'.join(f.name for f in item)
            out.append('r.Field("%s");' % names)
            live = [(k, f) for k, f in enumerate(item) if not f.reserved]
            if not live:
                out.append('r.U8();')
                continue
            out.append('{')
            out.append('  const uint8_t bits = r.U8();')
            for k, f in live:
                out.append('  %s = (bits & 0x%02x) != 0;' % (f.ident, 1 << k))
            out.append('}')
            continue
        f = item
        if f.reserved:
            out.append('r.Field("%s");' % f.name)
            out.append('%s;' % RESERVED_SKIP[f.type])
            continue
        out.append('r.Field("%s");' % f.name)
        if f.type == 'table':
            out.append('DecodeFieldTable(r, %s);' % f.ident)
        elif f.strong:
            out.append('%s = %s(%s);' % (f.ident, f.strong, PRIMITIVES[f.type][1]))
        else:
            out.append('%s = %s;' % (f.ident, PRIMITIVES[f.type][1]))
    return out


# --- source -------------------------------------------------------------------

def gen_source(spec, sources):
    validators = Validators()
    bodies = []
    for m in spec.methods:
        bodies.extend(gen_method_functions(m, validators))
    for klass in spec.classes:
        if klass.properties:
            bodies.extend(gen_properties_functions(klass))

    c = ['// Generated by lib/amqp/codegen/amqp_codegen.py from',
         '// %s. Do not edit.' % sources,
         '#include "amqp/spec.h"', '',
         '#include <iterator>', '#include <string>', '#include <type_traits>',
         '#include <utility>',
         '',
         '#include "amqp/codec_error.h"', '#include "amqp/wire.h"', '',
         'namespace warren::amqp {', 'namespace {', '']
    c.extend(validators.helpers())
    c.append('Status AssertFailed(std::string_view method, std::string_view field,'
             ' std::string_view what) {')
    c.append('  return CodecError(kPreconditionFailed, std::string(method) + ": field " +')
    c.append('                                             std::string(field) + " " + std::string(what));')
    c.append('}')
    c.append('')
    c.append('constexpr MethodInfo kMethodInfos[] = {')
    for m in spec.methods:
        c.append('    {%d, %d, "%s", %s, %s},' % (m.klass.index, m.index, m.full_name,
                                               'true' if m.synchronous else 'false',
                                               'true' if m.content else 'false'))
    c.append('};')
    c.append('static_assert(std::size(kMethodInfos) == std::variant_size_v<Method>);')
    c.append('')
    c.append('}  // namespace')
    c.append('')
    c.extend(bodies)
    c.append('const MethodInfo& InfoOf(const Method& m) { return kMethodInfos[m.index()]; }')
    c.append('')
    c.append('std::string_view ClassName(uint16_t class_id) {')
    c.append('  switch (class_id) {')
    for klass in spec.classes:
        c.append('    case %d: return "%s";' % (klass.index, klass.name))
    c.append('    default: return {};')
    c.append('  }')
    c.append('}')
    c.append('')
    c.extend(gen_dispatch(spec))
    c.append('}  // namespace warren::amqp')
    return c


def gen_method_functions(m, validators):
    out = ['Status %s::Encode(std::string& out) const {' % m.struct]
    body = encode_body(m.fields)
    if body:
        out.append('  Writer w(out);')
        out.extend(indent(body))
        out.append('  return w.Finish(kName);')
    else:
        out.append('  (void)out;')
        out.append('  return Status::OK();')
    out.append('}')
    out.append('')
    out.append('void %s::Decode(Reader& r) {' % m.struct)
    body = decode_body(m.fields)
    out.extend(indent(body) if body else ['  (void)r;'])
    out.append('}')
    out.append('')
    out.append('Status %s::Validate() const {' % m.struct)
    for cond, field, what in validators.checks(m):
        out.append('  if (%s) {' % cond)
        out.append('    return AssertFailed(kName, "%s", %s);' % (field, cpp_string(what)))
        out.append('  }')
    out.append('  return Status::OK();')
    out.append('}')
    out.append('')
    return out


def gen_properties_functions(klass):
    name = camel(klass.name) + 'Properties'
    out = ['uint16_t %s::Flags() const {' % name, '  uint16_t flags = 0;']
    for f in klass.properties:
        out.append('  if (%s) flags |= k%sFlag;' % (f.ident, camel(f.name)))
    out.append('  return flags;')
    out.append('}')
    out.append('')
    out.append('Status %s::Encode(std::string& out) const {' % name)
    out.append('  Writer w(out);')
    out.append('  w.U16(Flags());')
    for f in klass.properties:
        out.append('  if (%s) {' % f.ident)
        out.append('    w.Field("%s");' % f.name)
        if f.type == 'table':
            out.append('    EncodeFieldTable(w, *%s);' % f.ident)
        else:
            out.append('    ' + PRIMITIVES[f.type][2].format('*' + f.ident) + ';')
        out.append('  }')
    out.append('  return w.Finish("%s properties");' % klass.name)
    out.append('}')
    out.append('')
    out.append('void %s::Decode(Reader& r) {' % name)
    out.append('  r.Field("property flags");')
    out.append('  const uint16_t flags = r.U16();')
    out.append('  if ((flags & 0x0001) != 0) {')
    out.append('    r.Fail("the flag word announces a second one, but class %s has only %d properties");'
               % (klass.name, len(klass.properties)))
    out.append('    return;')
    out.append('  }')
    for f in klass.properties:
        out.append('  if ((flags & k%sFlag) != 0) {' % camel(f.name))
        out.append('    r.Field("%s");' % f.name)
        if f.type == 'table':
            out.append('    DecodeFieldTable(r, %s.emplace());' % f.ident)
        else:
            out.append('    %s = %s;' % (f.ident, PRIMITIVES[f.type][1]))
        out.append('  }')
    out.append('}')
    out.append('')
    return out


def gen_dispatch(spec):
    out = ['Result<Method> DecodeMethod(std::string_view payload) {',
           '  Reader r(payload);',
           '  const uint16_t class_id = r.U16();',
           '  const uint16_t method_id = r.U16();',
           '  if (r.failed()) {',
           '    return CodecError(kFrameError, "method frame of " + std::to_string(payload.size()) +',
           '                                       " bytes is too short for class and method ids");',
           '  }',
           '  Method m;',
           '  switch ((uint32_t{class_id} << 16) | method_id) {']
    for meth in spec.methods:
        out.append('    case 0x%08x:  // %s' % ((meth.klass.index << 16) | meth.index, meth.full_name))
        out.append('      m.emplace<%s>().Decode(r);' % meth.struct)
        out.append('      break;')
    out.extend([
        '    default:',
        '      if (ClassName(class_id).empty()) {',
        '        return CodecError(kNotImplemented, "unknown class " + std::to_string(class_id));',
        '      }',
        '      return CodecError(kNotImplemented, "unknown method " + std::to_string(method_id) +',
        '                                             " of class " + std::string(ClassName(class_id)));',
        '  }',
        '  // The one failure check per frame: every read above was bounded and sticky.',
        '  if (r.failed()) {',
        '    return CodecError(kFrameError, "cannot decode " + std::string(InfoOf(m).name) + ": " +',
        '                                       r.error());',
        '  }',
        '  if (r.remaining() != 0) {',
        '    return CodecError(kFrameError, "cannot decode " + std::string(InfoOf(m).name) + ": " +',
        '                                       std::to_string(r.remaining()) +',
        '                                       " bytes after the last argument");',
        '  }',
        '  return m;',
        '}',
        '',
        'Status EncodeMethod(const Method& m, std::string& out) {',
        '  return std::visit(',
        '      [&out](const auto& method) {',
        '        using M = std::decay_t<decltype(method)>;',
        '        Writer w(out);',
        '        w.U16(M::kClassId);',
        '        w.U16(M::kMethodId);',
        '        return method.Encode(out);',
        '      },',
        '      m);',
        '}',
        ''])
    return out
