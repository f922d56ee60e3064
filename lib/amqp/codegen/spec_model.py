"""The AMQP spec XML as Python objects, for the emitters (emit_header.py, emit_source.py)."""

import xml.etree.ElementTree as ET

# Spec type -> C++ type and how its value is read and written (`{}` is the value).
PRIMITIVES = {
    'octet': ('uint8_t', 'r.U8()', 'w.U8({})'),
    'short': ('uint16_t', 'r.U16()', 'w.U16({})'),
    'long': ('uint32_t', 'r.U32()', 'w.U32({})'),
    'longlong': ('uint64_t', 'r.U64()', 'w.U64({})'),
    'timestamp': ('uint64_t', 'r.U64()', 'w.U64({})'),
    'shortstr': ('std::string', 'std::string(r.ShortStr())', 'w.ShortStr({})'),
    'longstr': ('std::string', 'std::string(r.LongStr())', 'w.LongStr({})'),
    'table': ('FieldTable', None, None),
    'bit': ('bool', None, None),
}

# Spec domains that name an identifier get warren's strong types (CONVENTIONS 10).
DOMAIN_TYPES = {
    'queue-name': 'QueueName',
    'exchange-name': 'ExchangeName',
    'consumer-tag': 'ConsumerTag',
    'delivery-tag': 'DeliveryTag',
    'path': 'VhostName',
}

CPP_KEYWORDS = {
    'and', 'auto', 'bool', 'break', 'case', 'catch', 'char', 'class', 'const', 'continue',
    'default', 'delete', 'do', 'double', 'else', 'enum', 'explicit', 'export', 'extern',
    'false', 'float', 'for', 'friend', 'goto', 'if', 'inline', 'int', 'long', 'mutable',
    'namespace', 'new', 'not', 'operator', 'or', 'private', 'protected', 'public', 'register',
    'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'template', 'this',
    'throw', 'true', 'try', 'typedef', 'union', 'unsigned', 'using', 'virtual', 'void',
    'volatile', 'while', 'xor',
}


class SpecError(Exception):
    pass


def camel(name):
    return ''.join(part.capitalize() for part in name.split('-'))


def snake(name):
    ident = name.replace('-', '_')
    return ident + '_' if ident in CPP_KEYWORDS else ident


def cpp_string(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


class Field:
    def __init__(self, elem, domains):
        self.name = elem.get('name')
        self.ident = snake(self.name)
        self.reserved = elem.get('reserved') == '1'
        own_asserts = [(a.get('check'), a.get('value')) for a in elem.findall('assert')]
        domain = elem.get('domain')
        if domain is not None:
            if domain not in domains:
                raise SpecError('field %s uses unknown domain %s' % (self.name, domain))
            self.type, domain_asserts = domains[domain]
            self.strong = DOMAIN_TYPES.get(domain)
        else:
            self.type, domain_asserts = elem.get('type'), []
            self.strong = None
        if self.type not in PRIMITIVES:
            raise SpecError('field %s has unknown type %s' % (self.name, self.type))
        self.asserts = domain_asserts + own_asserts

    @property
    def cpp_type(self):
        return self.strong or PRIMITIVES[self.type][0]

    @property
    def value(self):
        """The expression for the field's plain value inside a member function."""
        return self.ident + '.get()' if self.strong else self.ident


class Method:
    def __init__(self, klass, elem, domains):
        self.klass = klass
        self.name = elem.get('name')
        self.index = int(elem.get('index'))
        self.synchronous = elem.get('synchronous') == '1'
        self.content = elem.get('content') == '1'
        self.responses = [r.get('name') for r in elem.findall('response')]
        self.fields = [Field(f, domains) for f in elem.findall('field')]
        self.struct = camel(klass.name) + camel(self.name)
        self.full_name = '%s.%s' % (klass.name, self.name)


class Klass:
    def __init__(self, elem, domains):
        self.name = elem.get('name')
        self.index = int(elem.get('index'))
        self.methods = []
        self.properties = [Field(f, domains) for f in elem.findall('field')]
        for m in elem.findall('method'):
            self.add(Method(self, m, domains))

    def add(self, method):
        for m in self.methods:
            if m.name == method.name:
                return  # the spec's own definition wins over an extension
            if m.index == method.index:
                raise SpecError('%s and %s share index %d'
                                % (m.full_name, method.full_name, m.index))
        self.methods.append(method)


class Spec:
    def __init__(self, spec_path, extension_paths):
        root = ET.parse(spec_path).getroot()
        self.constants = [(c.get('name'), int(c.get('value')), c.get('class'))
                          for c in root.findall('constant')]
        self.domains = {}
        for d in root.findall('domain'):
            asserts = [(a.get('check'), a.get('value')) for a in d.findall('assert')]
            self.domains[d.get('name')] = (d.get('type'), asserts)
        self.classes = [Klass(c, self.domains) for c in root.findall('class')]
        for path in extension_paths:
            for c in ET.parse(path).getroot().findall('class'):
                klass = next((k for k in self.classes if k.name == c.get('name')), None)
                if klass is None:
                    self.classes.append(Klass(c, self.domains))
                    continue
                if klass.index != int(c.get('index')):
                    raise SpecError('extension class %s has a different index' % klass.name)
                for m in c.findall('method'):
                    klass.add(Method(klass, m, self.domains))
        for klass in self.classes:
            klass.methods.sort(key=lambda m: m.index)
        self.methods = [m for k in self.classes for m in k.methods]
        by_name = {m.full_name: m for m in self.methods}
        for m in self.methods:
            for r in m.responses:
                if '%s.%s' % (m.klass.name, r) not in by_name:
                    raise SpecError('%s names an unknown response %s' % (m.full_name, r))


def indent(lines, by='  '):
    return [by + line if line else line for line in lines]
