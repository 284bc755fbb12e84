#!/usr/bin/env python3
"""tests/cli/schema_check.py: checks a JSON document against docs/json-schema.json.

The host has no jsonschema package, so this implements the part of JSON Schema 2020-12 the
schema uses: $ref (local), oneOf, allOf, type, const, enum, required, properties, items,
minimum, maximum, maxItems, pattern. A keyword it does not know is an error, so the schema
cannot silently grow past what is checked.
"""
import json
import re
import sys

KNOWN = {"$schema", "$id", "$defs", "title", "description", "$ref", "oneOf", "allOf", "type", "const",
         "enum", "required", "properties", "items", "minimum", "maximum", "maxItems", "pattern"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise ValueError("only local $ref is supported: " + ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def errors(root, schema, value, path="$"):
    """Yields one message per violation."""
    unknown = set(schema) - KNOWN
    if unknown:
        yield f"{path}: schema uses unsupported keywords {sorted(unknown)}"
    if "$ref" in schema:
        yield from errors(root, resolve(root, schema["$ref"]), value, path)
    for sub in schema.get("allOf", []):
        yield from errors(root, sub, value, path)
    if "oneOf" in schema:
        found = [list(errors(root, s, value, path)) for s in schema["oneOf"]]
        matches = sum(1 for f in found if not f)
        if matches != 1:
            yield f"{path}: matches {matches} of the oneOf schemas, not exactly one"
        if matches == 0:
            yield from min(found, key=len)   # the closest branch says what is wrong
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            yield f"{path}: {json.dumps(value)[:80]} is not {'/'.join(types)}"
            return
    if "const" in schema and value != schema["const"]:
        yield f"{path}: {value!r} is not {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        yield f"{path}: {value!r} is not one of {schema['enum']}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield f"{path}: {value} < {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            yield f"{path}: {value} > {schema['maximum']}"
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        yield f"{path}: {value!r} does not match {schema['pattern']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                yield f"{path}: missing required key {key!r}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                yield from errors(root, sub, value[key], f"{path}.{key}")
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield f"{path}: {len(value)} items > {schema['maxItems']}"
        if "items" in schema:
            for i, item in enumerate(value):
                yield from errors(root, schema["items"], item, f"{path}[{i}]")


def check(schema, document):
    """Returns the list of violations of `document` (a parsed JSON value)."""
    return list(errors(schema, schema, document))


def main():
    if len(sys.argv) != 3:
        print("usage: schema_check.py SCHEMA DOCUMENT")
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    problems = check(schema, document)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
