"""Writes a changed copy of a benchmark namespace, as a later snapshot of it would look, for
`lineage diff`: of every 100 documents, one removed, one copied under a new id (added), one given
another root object in every place it states one, and one with a user field changed. Lines left
alone are copied byte for byte; objects and collections are copied as they are.

Usage: python3 Benchmarks/changed-copy.py OLD_DIR NEW_DIR
"""
import json
import os
import shutil
import sys


def reroot(document, root):
    for holder in (document, document.get("_internal", {}).get("lineage") or {}, document.get("lineage") or {}):
        if "root_object_id" in holder:
            holder["root_object_id"] = root


def main(old, new):
    os.makedirs(new, exist_ok=True)
    for name in os.listdir(old):
        if name != "documents.jsonl" and os.path.isfile(os.path.join(old, name)):
            shutil.copyfile(os.path.join(old, name), os.path.join(new, name))
    with open(os.path.join(old, "documents.jsonl"), "rb") as source, \
            open(os.path.join(new, "documents.jsonl.tmp"), "wb") as target:
        for number, line in enumerate(source):
            kind = number % 100
            if kind == 0:
                continue
            if kind == 1:
                document = json.loads(line)
                target.write(line)
                document["document_id"] = document["document_id"] + "_copy"
                if isinstance(document.get("_internal"), dict):
                    document["_internal"]["document_id"] = document["document_id"]
                line = json.dumps(document, separators=(",", ":")).encode() + b"\n"
            elif kind == 2:
                document = json.loads(line)
                reroot(document, "obj_moved_%d" % number)
                line = json.dumps(document, separators=(",", ":")).encode() + b"\n"
            elif kind == 3:
                document = json.loads(line)
                fields = document["metadata"] if isinstance(document.get("metadata"), dict) else document
                fields["reviewed_by"] = "benchmark"
                line = json.dumps(document, separators=(",", ":")).encode() + b"\n"
            target.write(line)
    os.replace(os.path.join(new, "documents.jsonl.tmp"), os.path.join(new, "documents.jsonl"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
