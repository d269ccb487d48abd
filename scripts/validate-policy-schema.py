#!/usr/bin/env python3
"""Validates policy files against policies/policy.schema.json with an independent JSON Schema validator.

The policy is read as YAML 1.2 would read it (a plain yes/no stays text), as the Swift loader does,
and a broken schema or a policy that does not match it fails the build.
"""
import json
import pathlib
import sys

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads yes/no/on/off as booleans (YAML 1.1); the policy format means the words."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
# Dates such as terms-checked stay text, as in the Swift loader.
Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in Yaml12Loader.yaml_implicit_resolvers.items()
}


def main(paths):
    schema = json.loads((ROOT / "policies" / "policy.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = False
    for path in paths or [str(ROOT / "policies" / "netflix-genai-2025.yaml")]:
        document = yaml.load(pathlib.Path(path).read_text(), Loader=Yaml12Loader)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(document)"
            print(f"{path}: {where}: {error.message[:300]}", file=sys.stderr)
        failed = failed or bool(errors)
        print(f"{path}: {'does not match' if errors else 'matches'} policies/policy.schema.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
