"""Reads `lineage export --format openlineage` events (JSON Lines, the file named first) into
the OpenLineage Python client's own model classes, generated from the spec's JSON schemas: each
event must build (the classes check event times, run ids, URIs and required fields), each
standard facet's _schemaURL must be the one the client's class declares, and the client's
serialisation of the built event must equal the event as written (custom facets aside).
Prints one JSON object: the events' summary, for the Swift test to compare with the graph."""
import json
import sys
import warnings

warnings.simplefilter("error")

from openlineage.client.generated import base
from openlineage.client.generated.data_quality_assertions_dataset import Assertion, DataQualityAssertionsDatasetFacet
from openlineage.client.generated.documentation_job import DocumentationJobFacet
from openlineage.client.generated.job_type_job import JobTypeJobFacet
from openlineage.client.generated.output_statistics_output_dataset import OutputStatisticsOutputDatasetFacet
from openlineage.client.serde import Serde

STANDARD = {
    "jobType": JobTypeJobFacet,
    "documentation": DocumentationJobFacet,
    "outputStatistics": OutputStatisticsOutputDatasetFacet,
    "dataQualityAssertions": DataQualityAssertionsDatasetFacet,
}
CUSTOM = {"mixpeek_extraction"}


def facets(written):
    built = {}
    for name, facet in (written or {}).items():
        assert facet.get("_producer") and facet.get("_schemaURL"), f"facet {name} lacks _producer or _schemaURL"
        if name in CUSTOM:
            continue
        cls = STANDARD[name]
        assert facet["_schemaURL"] == cls._get_schema(), f"{name}: {facet['_schemaURL']} != {cls._get_schema()}"
        fields = {key: value for key, value in facet.items() if not key.startswith("_")}
        if cls is DataQualityAssertionsDatasetFacet:
            fields["assertions"] = [Assertion(**assertion) for assertion in fields["assertions"]]
        built[name] = cls(**fields, producer=facet["_producer"])
    return built


def without_custom(value):
    if isinstance(value, dict):
        return {k: without_custom(v) for k, v in value.items() if k not in CUSTOM and v not in ({}, None, [])}
    if isinstance(value, list):
        return [without_custom(v) for v in value]
    return value


def main(path):
    summary = {"events": 0, "edges": [], "assertions": {}, "run_ids": []}
    with open(path, encoding="utf-8") as file:
        lines = file.read().splitlines()
    for line in lines:
        written = json.loads(line)
        assert written["schemaURL"] == base.RunEvent._get_schema(), written["schemaURL"]
        job = written["job"]
        event = base.RunEvent(
            eventType=base.EventType(written["eventType"]),
            eventTime=written["eventTime"],
            run=base.Run(runId=written["run"]["runId"], facets={}),
            job=base.Job(namespace=job["namespace"], name=job["name"], facets=facets(job.get("facets"))),
            inputs=[
                base.InputDataset(
                    namespace=d["namespace"], name=d["name"], facets={}, inputFacets=facets(d.get("inputFacets")))
                for d in written["inputs"]
            ],
            outputs=[
                base.OutputDataset(
                    namespace=d["namespace"], name=d["name"], facets={}, outputFacets=facets(d.get("outputFacets")))
                for d in written["outputs"]
            ],
            producer=written["producer"],
        )
        again = without_custom(Serde.to_dict(event))
        assert again == without_custom(written), f"the client's serialisation differs:\n{again}\n{without_custom(written)}"
        summary["events"] += 1
        summary["run_ids"].append(written["run"]["runId"])
        for output in written["outputs"]:
            for source in written["inputs"]:
                rows = output["outputFacets"]["outputStatistics"]["rowCount"]
                summary["edges"].append([source["name"], output["name"], rows])
        for dataset in written["inputs"]:
            for assertion in dataset.get("inputFacets", {}).get("dataQualityAssertions", {}).get("assertions", []):
                if not assertion["success"]:
                    summary["assertions"][dataset["name"] + " " + assertion["assertion"]] = int(assertion["actual"])
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1])
