#!/usr/bin/env python3
"""Generates warren's AMQP 0-9-1 codec, amqp/spec.h and amqp/spec.cc, from the spec XML.

    amqp_codegen.py --spec amqp0-9-1.stripped.extended.xml \
        [--extensions rabbit_extensions.xml] --out-dir build/generated/amqp

Per method it writes a plain struct (spec names mechanically converted: basic.publish ->
BasicPublish, no-wait -> no_wait) with its ids, flags, response type, Encode, Decode and
Validate; then the Method variant with one dispatch switch, the content-header properties,
and the reply-code constants with their soft/hard class. Python 3 standard library only.
"""

import argparse
import os
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

from emit_header import gen_header  # noqa: E402
from emit_source import gen_source  # noqa: E402
from spec_model import Spec, SpecError  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--spec', required=True)
    parser.add_argument('--extensions', action='append', default=[])
    parser.add_argument('--out-dir', required=True)
    args = parser.parse_args()
    try:
        spec = Spec(args.spec, args.extensions)
        sources = ' + '.join(os.path.basename(p) for p in [args.spec] + args.extensions)
        header = gen_header(spec, sources)
        source = gen_source(spec, sources)
    except (SpecError, ET.ParseError, OSError) as e:
        print('amqp_codegen: %s' % e, file=sys.stderr)
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    for name, lines in (('spec.h', header), ('spec.cc', source)):
        path = os.path.join(args.out_dir, name)
        tmp = path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
        os.replace(tmp, path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
