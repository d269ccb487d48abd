#!/usr/bin/env python3
"""Checks `clearance scan --format json` against the reference tools, file by file.

For every file under the DIRs, one scan of all of them is compared with:
  - c2pa.Reader (c2pa-python): the manifest count; for each manifest, by label, that it is
    there, whether it is the active one, the claim generator (when the reader has a
    claim_generator string), the claim_generator_info names, and the set of digitalSourceType
    values in its actions assertions. ASSET.c2pa files are read as bare stores, and an asset
    with an ASSET.c2pa beside it is read with that store. A reader error counts as no manifest;
    a "Remote" error (remote fetching is off) means the asset points at a remote manifest.
  - exiftool: the XMP Iptc4xmpExt:DigitalSourceType values (-a -G1, group XMP-iptcExt, so
    exiftool's CBOR reading of C2PA stores and foreign namespaces do not count) must equal the
    digitalSourceType of our markers with source "xmp"; an XMP dcterms:provenance that is not a
    self#jumbf reference must come with a "remote-manifest" marker, and the other way round.
  - the expected verdicts: OUTDIR/expected.json from provenance-fixtures.py, and for the shared
    fixtures (a folder whose README.md starts "# Provenance fixtures") the table below,
    transcribed from that README. Files with no expectation (README, licences) are not judged.

Prints one line per disagreement and `N files, M checks, K disagreements`; exits 1 on any.
With --reference-only it runs no scanner and prints what the references see, per file.

usage: scripts/provenance-agreement.py [--clearance PATH] [--reference-only] DIR...
"""
import argparse
import json
import os
import subprocess
import sys

import c2pa

# ../shared/fixtures/provenance/README.md, as verdicts ("C2PA present, no AI marker" and
# the other negative controls are no-markers; "bounded error" is error).
SHARED_VERDICTS = {
    "c2pa-rs/C.jpg": "no-markers",
    "c2pa-rs/CA.jpg": "no-markers",
    "c2pa-rs/CACA.jpg": "no-markers",
    "c2pa-rs/video1.mp4": "no-markers",
    "c2pa-rs/cloud.jpg": "review",
    "c2pa-rs/no_manifest.jpg": "no-markers",
    "c2pa-rs/libpng-test.png": "no-markers",
    "c2pa-rs/sample1.wav": "no-markers",
    "c2pa-rs/test_xmp.webp": "no-markers",
    "c2pa-rs/nested_moov_1000.mp4": "error",
    "c2pa-rs/riff_bomb_1000.wav": "error",
    "sd-parsers/automatic1111_cropped.png": "heuristic",
    "sd-parsers/text_after_idat.png": "heuristic",
    "sd-parsers/img2img_cropped.png": "heuristic",
    "sd-parsers/invokeai_dream1.png": "heuristic",
    "sd-parsers/empty_file.png": "error",
    "synthetic/ai_gen.jpg": "generated",
    "synthetic/ai_gen.png": "generated",
    "synthetic/gen_dst.jpg": "generated",
}
SHARED_README_TITLE = "# Provenance fixtures"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
READER_CONTEXT = c2pa.Context.from_dict({"verify": {"remote_manifest_fetch": False}})


# ---------------------------------------------------------------------------- inputs

def list_files(dirs):
    """[(absolute path, name to print: the DIR's own name and the path under it)]."""
    files = []
    for top in dirs:
        for root, subdirs, names in os.walk(top):
            subdirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                # A sidecar is read with the asset beside it, as the scanner does, not listed alone.
                if name.endswith(".c2pa") and os.path.isfile(path[:-len(".c2pa")]):
                    continue
                if os.path.isfile(path):
                    shown = os.path.join(os.path.basename(top), os.path.relpath(path, top))
                    files.append((path, shown))
    return files


def expectations(dirs):
    """{absolute path: (verdict, note)} from the expected.json files and the shared fixtures'
    README in or above each DIR."""
    folders = set()
    for top in dirs:
        folders.update(root for root, _, _ in os.walk(top))
        parent = top
        while os.path.dirname(parent) != parent:
            parent = os.path.dirname(parent)
            folders.add(parent)
    found = {}
    for folder in sorted(folders):
        listing = os.path.join(folder, "expected.json")
        if os.path.isfile(listing):
            for entry in json.load(open(listing)):
                found[os.path.join(folder, entry["path"])] = (entry["verdict"], entry.get("note", ""))
        readme = os.path.join(folder, "README.md")
        if os.path.isfile(readme) and open(readme).readline().strip() == SHARED_README_TITLE:
            for rel, verdict in SHARED_VERDICTS.items():
                found[os.path.join(folder, rel)] = (verdict, "shared fixtures README")
    return found


# ---------------------------------------------------------------------------- references

def read_c2pa(path):
    """What c2pa.Reader sees: {"active", "manifests": {label: facts}, "error", "remote", "how"}."""
    sidecar = path + ".c2pa"
    seen = {"active": None, "manifests": {}, "error": None, "remote": None, "how": "embedded"}
    try:
        with open(path, "rb") as stream:
            if path.endswith(".c2pa"):
                seen["how"] = "bare store"
                reader = c2pa.Reader("application/c2pa", stream, context=READER_CONTEXT)
            elif os.path.isfile(sidecar):
                seen["how"] = "asset + sidecar"
                extension = os.path.splitext(path)[1].lstrip(".").lower()
                with open(sidecar, "rb") as f:
                    store_bytes = f.read()
                reader = c2pa.Reader(extension, stream, store_bytes, context=READER_CONTEXT)
            else:
                reader = c2pa.Reader(path, context=READER_CONTEXT)
            with reader:
                store = json.loads(reader.json())
    except (c2pa.C2paError, OSError) as error:
        text = str(error)
        seen["error"] = text.splitlines()[0][:160]
        if text.startswith("Remote:"):
            seen["remote"] = text.split("url ", 1)[-1].strip() if "url " in text else text
        return seen
    seen["active"] = store.get("active_manifest")
    for label, m in store.get("manifests", {}).items():
        dsts = set()
        for assertion in m.get("assertions", []):
            if assertion.get("label", "").startswith("c2pa.actions"):
                for action in (assertion.get("data") or {}).get("actions", []):
                    if action.get("digitalSourceType"):
                        dsts.add(action["digitalSourceType"])
        seen["manifests"][label] = {
            "claim_generator": m.get("claim_generator"),
            "generator_names": [g.get("name") for g in m.get("claim_generator_info") or []],
            "dsts": dsts,
            "claim_version": m.get("claim_version"),
        }
    return seen


def read_exiftool(files):
    """{path: {"dsts": set, "provenance": [values]}} for XMP, from one exiftool run."""
    found = {path: {"dsts": set(), "provenance": []} for path in files}
    if not files:
        return found
    args = ["exiftool", "-j", "-a", "-G1", "-charset", "filename=UTF8",
            "-XMP-iptcExt:DigitalSourceType", "-XMP-dcterms:Provenance", "-@", "-"]
    result = subprocess.run(args, input="\n".join(files) + "\n", capture_output=True, text=True)
    if not result.stdout.strip():
        return found
    # -a can repeat a key within one file's object, so keep the objects as lists of pairs
    for entry in json.loads(result.stdout, object_pairs_hook=list):
        entry_path = dict(entry).get("SourceFile")
        if entry_path not in found:
            continue
        for key, value in entry:
            values = value if isinstance(value, list) else [value]
            if key == "XMP-iptcExt:DigitalSourceType":
                found[entry_path]["dsts"].update(str(v) for v in values)
            elif key == "XMP-dcterms:Provenance":
                found[entry_path]["provenance"] += [str(v) for v in values]
    return found


def remote_reference(reader, tool):
    """The remote manifest URL the references see, or None."""
    if reader["remote"]:
        return reader["remote"]
    for value in tool["provenance"]:
        if not value.startswith("self#jumbf"):
            return value
    return None


# ---------------------------------------------------------------------------- the scan

def find_clearance(given):
    if given:
        return os.path.abspath(given)
    candidates = [os.path.join(REPO, ".build", kind, "clearance") for kind in ("debug", "release")]
    candidates = [c for c in candidates if os.access(c, os.X_OK)]
    if not candidates:
        sys.exit("provenance-agreement: no clearance binary in .build/{debug,release}; "
                 "give --clearance PATH or use --reference-only")
    return max(candidates, key=os.path.getmtime)


def run_scan(clearance, dirs):
    """{absolute path: file entry} from one `clearance scan --format json DIR...`."""
    result = subprocess.run([clearance, "scan", "--format", "json", *dirs],
                            capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.exit(f"provenance-agreement: clearance scan (exit {result.returncode}) printed no JSON:\n"
                 + result.stdout[:2000] + result.stderr[-2000:])
    entries = {}
    for entry in report.get("files", []):
        path = entry.get("path", "")
        options = [path] if os.path.isabs(path) else [os.path.join(d, path) for d in ["."] + dirs]
        for option in options:
            if os.path.exists(option):
                entries[os.path.realpath(option)] = entry
                break
        else:
            entries[os.path.realpath(path)] = entry
    return report, entries


# ---------------------------------------------------------------------------- comparing

class Tally:
    def __init__(self):
        self.checks = 0
        self.disagreements = []

    def check(self, ok, rel, what, ours, theirs):
        self.checks += 1
        if not ok:
            line = f"DISAGREE {rel}: {what}: ours {fmt(ours)}, reference {fmt(theirs)}"
            self.disagreements.append(line)
            print(line, flush=True)
        return ok


def fmt(value):
    if isinstance(value, (set, frozenset)):
        value = sorted(value)
    return json.dumps(value, default=str)


def compare(rel, entry, reader, tool, expected, tally):
    if expected:
        tally.check(entry.get("verdict") == expected[0], rel, "verdict", entry.get("verdict"),
                    f"{expected[0]} ({expected[1]})" if expected[1] else expected[0])
    ours = {m.get("label"): m for m in entry.get("manifests") or []}
    tally.check(len(ours) == len(reader["manifests"]), rel, "manifest count",
                len(ours), f"{len(reader['manifests'])} (c2pa.Reader, {reader['how']}"
                + (f": {reader['error']}" if reader["error"] else "") + ")")
    for label, theirs in reader["manifests"].items():
        mine = ours.get(label)
        if not tally.check(mine is not None, rel, f"manifest {label}", "missing", "present"):
            continue
        tally.check(bool(mine.get("active")) == (label == reader["active"]), rel,
                    f"manifest {label} active", bool(mine.get("active")), label == reader["active"])
        if theirs["claim_generator"] is not None:
            tally.check(mine.get("claim-generator") == theirs["claim_generator"], rel,
                        f"manifest {label} claimGenerator", mine.get("claim-generator"),
                        theirs["claim_generator"])
        names = [g.get("name") for g in mine.get("claim-generator-info") or []]
        tally.check(names == theirs["generator_names"], rel,
                    f"manifest {label} claimGeneratorInfo names", names, theirs["generator_names"])
        dsts = {a["digital-source-type"] for a in mine.get("actions") or [] if a.get("digital-source-type")}
        tally.check(dsts == theirs["dsts"], rel, f"manifest {label} digitalSourceType set",
                    dsts, theirs["dsts"])
    markers = entry.get("markers") or []
    xmp = {m["digital-source-type"] for m in markers
           if m.get("source") == "xmp" and m.get("digital-source-type")}
    tally.check(xmp == tool["dsts"], rel, "XMP DigitalSourceType set", xmp, tool["dsts"])
    remote = remote_reference(reader, tool)
    has_remote = any(m.get("source") == "remote-manifest" for m in markers)
    tally.check(has_remote == (remote is not None), rel, "remote-manifest marker",
                has_remote, remote or False)


def describe(rel, reader, tool, expected):
    """One --reference-only line group per file."""
    print(rel + (f"  [expected {expected[0]}]" if expected else ""))
    if reader["manifests"]:
        print(f"    c2pa.Reader ({reader['how']}): {len(reader['manifests'])} manifest(s)")
        for label, m in reader["manifests"].items():
            star = "*" if label == reader["active"] else " "
            generator = f" claim_generator={m['claim_generator']!r}" if m["claim_generator"] else ""
            print(f"     {star}{label} v{m['claim_version']}{generator} "
                  f"info={m['generator_names']} dst={fmt(m['dsts'])}")
    else:
        print(f"    c2pa.Reader ({reader['how']}): none ({reader['error']})")
    if tool["dsts"] or tool["provenance"]:
        print(f"    exiftool XMP: DigitalSourceType={fmt(tool['dsts'])} provenance={tool['provenance']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clearance", help="the clearance binary (default: newest .build one)")
    parser.add_argument("--reference-only", action="store_true",
                        help="print what c2pa.Reader and exiftool see; run no scanner")
    parser.add_argument("dirs", nargs="+", metavar="DIR")
    args = parser.parse_args()
    dirs = [os.path.abspath(d) for d in args.dirs]
    listed = list_files(dirs)
    files = [path for path, _ in listed]
    expected = expectations(dirs)
    tools = read_exiftool(files)
    readers = {path: read_c2pa(path) for path in files}

    if args.reference_only:
        for path, rel in listed:
            describe(rel, readers[path], tools[path], expected.get(path))
        missing = [p for p in expected if not os.path.exists(p)
                   and any(p.startswith(d + os.sep) for d in dirs)]
        for path in missing:
            print(f"MISSING {path} (expected but not on disk)")
        print(f"{len(files)} files, {sum(1 for p in files if p in expected)} with an expected verdict")
        sys.exit(1 if missing else 0)

    report, entries = run_scan(find_clearance(args.clearance), dirs)
    tally = Tally()
    for path, rel in listed:
        entry = entries.get(os.path.realpath(path))
        if not tally.check(entry is not None, rel, "listed in the scan", "absent", "a file"):
            continue
        compare(rel, entry, readers[path], tools[path], expected.get(path), tally)
    summary = report.get("summary") or {}
    tally.check(summary.get("total") == len(files), "(summary)", "summary.total",
                summary.get("total"), len(files))
    judged = sum(1 for p in files if p in expected)
    print(f"{len(files)} files, {tally.checks} checks, {len(tally.disagreements)} disagreements "
          f"({judged} files with an expected verdict)")
    sys.exit(1 if tally.disagreements else 0)


if __name__ == "__main__":
    main()
