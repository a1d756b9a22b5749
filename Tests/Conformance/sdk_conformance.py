"""Drives `lineage serve` with Mixpeek's own Python SDK (`mixpeek` on PyPI, pinned in
scripts/python-env) and checks that every response parses into the SDK's models and that the
listings, reads, writes and lineage routes say what the served snapshot says.

    python sdk_conformance.py BASE_URL API_KEY NAMESPACE SNAPSHOT_DIR

Prints one line per check and a closing "N passed, N failed" line; exits 1 when a check failed.
Run by Tests/LineageCLITests/SDKConformanceTests.swift.
"""

import json
import sys

import mixpeek
from mixpeek.api.collection_documents_api import CollectionDocumentsApi
from mixpeek.api.collections_api import CollectionsApi
from mixpeek.api.document_lineage_api import DocumentLineageApi
from mixpeek.models.collection_reconciliation_response import CollectionReconciliationResponse
from mixpeek.models.document_lineage_response import DocumentLineageResponse
from mixpeek.models.document_response import DocumentResponse
from mixpeek.models.list_collections_response import ListCollectionsResponse
from mixpeek.models.list_documents_response import ListDocumentsResponse

BASE_URL, API_KEY, NAMESPACE, SNAPSHOT = sys.argv[1:5]
passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


documents = read_lines(f"{SNAPSHOT}/documents.jsonl")
objects = read_lines(f"{SNAPSHOT}/objects.jsonl")
with open(f"{SNAPSHOT}/collections.json", encoding="utf-8") as handle:
    collections = json.load(handle)
by_collection = {}
for document in documents:
    by_collection.setdefault(document["collection_id"], set()).add(document["document_id"])

configuration = mixpeek.Configuration(host=BASE_URL)
client = mixpeek.ApiClient(configuration)
client.set_default_header("Authorization", f"Bearer {API_KEY}")
client.set_default_header("X-Namespace", NAMESPACE)
collections_api = CollectionsApi(client)
documents_api = CollectionDocumentsApi(client)
lineage_api = DocumentLineageApi(client)


def exhaust(call, form, size):
    """Every item of a listing, page by page, in one pagination form of the SDK."""
    items = []
    state = None
    for _ in range(10_000):
        if form == "offset":
            page = call(limit=size, offset=state or 0)
        elif form == "page":
            page = call(page_size=size, page=state or 1)
        else:  # cursor, next_cursor, after: the previous page's next_cursor
            arguments = {"limit": size}
            if state:
                arguments[form] = state
            page = call(**arguments)
        results = page.results or []
        items += results
        if form == "offset":
            if not results:
                return items, page
            state = (state or 0) + len(results)
        elif form == "page":
            if not results:
                return items, page
            state = (state or 1) + 1
        else:
            state = page.pagination.next_cursor
            if not state:
                return items, page
    raise RuntimeError("listing did not end")


# Collections, in every pagination form; total_count is a required int.
for form in ["offset", "page", "cursor", "next_cursor", "after"]:
    items, last = exhaust(collections_api.list_collections, form, 2)
    check(f"list_collections by {form}: parses as ListCollectionsResponse", isinstance(last, ListCollectionsResponse))
    check(f"list_collections by {form}: the snapshot's collections",
          {item.collection_id for item in items} == {c["collection_id"] for c in collections},
          [item.collection_id for item in items])
counted = collections_api.list_collections(limit=1, include_total=True)
check("list_collections include_total: pagination.total", counted.pagination.total == len(collections),
      counted.pagination)
check("list_collections without include_total: pagination.total is null",
      collections_api.list_collections(limit=1).pagination.total is None)

# Documents of every collection, in every pagination form.
for collection in sorted(by_collection):
    for form in ["offset", "page", "cursor", "next_cursor", "after"]:
        call = lambda **arguments: documents_api.list_documents(collection, **arguments)  # noqa: E731
        items, last = exhaust(call, form, 25)
        ids = [item.document_id for item in items]
        check(f"list_documents {collection} by {form}: parses, the snapshot's documents, no repeats",
              isinstance(last, ListDocumentsResponse) and set(ids) == by_collection[collection]
              and len(ids) == len(set(ids)), f"{len(ids)} vs {len(by_collection[collection])}")
    counted = documents_api.list_documents(collection, limit=1, include_total=True)
    check(f"list_documents {collection} include_total: total_documents and pagination.total",
          counted.total_documents == len(by_collection[collection])
          and counted.pagination.total == len(by_collection[collection]))
    uncounted = documents_api.list_documents(collection, limit=1)
    check(f"list_documents {collection}: totals null without include_total",
          uncounted.total_documents is None and uncounted.pagination.total is None and not uncounted.warnings)

# Get, PATCH set and null-removal, on one document of each shape.
shapes = {}
for document in documents:
    shape = "current" if "_internal" in document else "2025"
    shapes.setdefault(shape, document)
for shape, document in sorted(shapes.items()):
    collection, identifier = document["collection_id"], document["document_id"]
    got = documents_api.get_document(collection, identifier)
    check(f"get_document ({shape}): DocumentResponse with its id", isinstance(got, DocumentResponse)
          and got.document_id == identifier)
    patched = documents_api.patch_document(collection, identifier, {"metadata": {"conformance": 1}})
    fields = patched.additional_properties if shape == "current" else patched.additional_properties.get("metadata", {})
    check(f"patch_document set ({shape}): the field is set", fields.get("conformance") == 1, fields)
    removed = documents_api.patch_document(collection, identifier, {"metadata": {"conformance": None}})
    fields = removed.additional_properties if shape == "current" else removed.additional_properties.get("metadata", {})
    check(f"patch_document null ({shape}): the field is removed", "conformance" not in fields, fields)
    try:
        documents_api.patch_document(collection, identifier, {"conformance": 1})
        check(f"patch_document root key ({shape}): refused with 422", False)
    except mixpeek.ApiException as error:
        check(f"patch_document root key ({shape}): refused with 422 extra_forbidden",
              error.status == 422 and "extra_forbidden" in (error.body or ""), error.status)

# Lineage, ancestors, descendants of a deep document and its parent.
deep = max(documents, key=lambda d: len(((d.get("_internal") or {}).get("lineage") or {}).get("chain") or
                                          d.get("lineage_chain") or []))
collection, identifier = deep["collection_id"], deep["document_id"]
traced = lineage_api.get_document_lineage(collection, identifier)
check("get_document_lineage: DocumentLineageResponse with a chain",
      isinstance(traced, DocumentLineageResponse) and traced.lineage is not None
      and traced.total_steps == len(traced.lineage.lineage_chain or []) and traced.depth >= 1, traced)
ancestors = documents_api.get_document_ancestors(collection, identifier)
check("get_document_ancestors: DocumentResponses ending at the source document",
      all(isinstance(a, DocumentResponse) for a in ancestors)
      and (not ancestors or ancestors[-1].document_id == traced.lineage.source_document_id),
      [a.document_id for a in ancestors])
if ancestors:
    parent = ancestors[-1]
    children = documents_api.get_document_descendants(parent.collection_id, parent.document_id)
    check("get_document_descendants: the parent's children include the document",
          identifier in {c.document_id for c in children}, [c.document_id for c in children])
root = traced.lineage.root_object_id
made = lineage_api.get_documents_by_object(root)
expected = {d["document_id"] for d in documents if
            (((d.get("_internal") or {}).get("lineage") or {}).get("root_object_id") or d.get("root_object_id")
             or (d.get("lineage") or {}).get("root_object_id")) == root}
check("get_documents_by_object: every document of the root object",
      isinstance(made, dict) and {r["document_id"] for r in made.get("results", [])} == expected
      and made.get("total_documents") == len(expected), made.get("total_documents"))
tree = lineage_api.get_decomposition_tree_objects(root, include_document_ids=True)
counted = 0
stack = list(tree.get("tree", []))
while stack:
    node = stack.pop()
    counted += node.get("document_count", 0)
    stack += node.get("children", [])
check("get_decomposition_tree_objects: collection counts add up to the object's documents",
      isinstance(tree, dict) and counted == len(expected), (counted, len(expected)))

# Reconciliation of every collection parses, and conservation adds up.
for configuration_record in collections:
    collection = configuration_record["collection_id"]
    report = collections_api.reconcile_collection_reconciliation(collection, limit=5)
    check(f"reconciliation {collection}: CollectionReconciliationResponse that adds up",
          isinstance(report, CollectionReconciliationResponse)
          and report.delta == report.source_object_count - report.produced_object_count
          and len(report.discrepancies or []) <= 5, report)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
