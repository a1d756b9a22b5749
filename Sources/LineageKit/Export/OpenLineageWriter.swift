/// Makes OpenLineage (spec 2-0-2) RunEvents of the pipeline and the audit, which Marquez, DataHub,
/// OpenMetadata and Dataplex take.
///
/// - Each bucket and collection is a dataset (`buckets/ID`, `collections/ID` in ``namespace``).
/// - Each collection is a job (its id), with the `jobType` facet (`BATCH`, integration `MIXPEEK`,
///   job type `FEATURE_EXTRACTION`), the `documentation` facet naming its extractor and sources,
///   and a `mixpeek_extraction` facet with both as fields.
/// - Each pipeline edge (a source collection or bucket feeding a collection) is one `COMPLETE`
///   RunEvent of that job: the source as input, the collection as output with the
///   `outputStatistics` facet's `rowCount` (the documents the edge made), at the latest chain
///   timestamp of those documents (else ``fallbackTime``).
/// - The audit is a `COMPLETE` RunEvent of the job `lineagekit-audit` whose inputs are the
///   collections and buckets, each with the `dataQualityAssertions` input facet: one assertion per
///   rule that ran (`assertion` the rule id, `success` when no finding of it concerns the dataset,
///   `severity` `error`/`warn`/`info`, `actual` the finding count). At most
///   ``maximumInputsPerEvent`` inputs go in one event (Dataplex takes at most 100 links an event),
///   so a namespace with more collections gets several audit events.
///
/// Run ids are UUIDs made from a hash of the namespace and the edge (for the audit, its findings'
/// fingerprints), so exporting the same snapshot twice makes the same runs.
public struct OpenLineageWriter: Sendable {
    /// The OpenLineage namespace of jobs and datasets, e.g. `mixpeek://ns_prod`.
    public var namespace: String
    /// The `producer` URI of events and facets.
    public var producer: String
    /// The event time of runs whose documents state no chain timestamp (ISO 8601).
    public var fallbackTime: String
    /// Inputs per audit event at most.
    public var maximumInputsPerEvent: Int

    /// The spec version's RunEvent schema.
    public static let runEventSchema = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
    static let jobTypeSchema = "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"
    static let documentationSchema =
        "https://openlineage.io/spec/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet"
    static let outputStatisticsSchema =
        "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json"
        + "#/$defs/OutputStatisticsOutputDatasetFacet"
    static let assertionsSchema =
        "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json"
        + "#/$defs/DataQualityAssertionsDatasetFacet"
    /// The schema URL of LineageKit's own job facet (a custom facet, as the spec allows).
    static let extractionSchema = "urn:lineagekit:facets:MixpeekExtractionJobFacet:1-0-0"
    /// The job name of audit events.
    public static let auditJob = "lineagekit-audit"

    /// Creates a writer.
    public init(
        namespace: String, producer: String = "urn:lineagekit", fallbackTime: String, maximumInputsPerEvent: Int = 100
    ) {
        self.namespace = namespace
        self.producer = producer
        self.fallbackTime = fallbackTime
        self.maximumInputsPerEvent = max(1, maximumInputsPerEvent)
    }

    /// The events for `nodes` of `graph` (all when `nil`): one per pipeline edge among them, then
    /// the audit's (its assertions cover the collections and buckets those nodes are in).
    public func events(graph: DecompositionGraph, nodes: [DecompositionGraph.Node]? = nil, report: AuditReport)
        -> [JSONValue]
    {
        let input = ExportInput(graph: graph, nodes: nodes, findings: [])
        // Edges: (source dataset, collection) → documents, latest time, extractors.
        var edges: [EdgeKey: (documents: Int, time: String?, extractors: Set<String>)] = [:]
        var datasets: Set<Dataset> = []
        // Field by field: a node made for each document would make the document's id string.
        let nodes = graph.nodes
        for index in input.included {
            switch nodes.kind(at: index) {
            case .object, .ghostObject:
                if let bucket = nodes.bucketID(at: index) { datasets.insert(.bucket(bucket)) }
                continue
            case .document, .ghostDocument:
                guard let collection = nodes.collectionID(at: index) else { continue }
                datasets.insert(.collection(collection))
                guard let parent = input.parent(of: index) else { continue }
                let from: Dataset
                if !nodes.kind(at: parent).isDocument {
                    guard let bucket = nodes.bucketID(at: parent) else { continue }
                    from = .bucket(bucket)
                } else {
                    guard let sourceCollection = nodes.collectionID(at: parent) else { continue }
                    from = .collection(sourceCollection)
                }
                let key = EdgeKey(from: from, to: collection)
                var entry = edges[key] ?? (0, nil, [])
                entry.documents += 1
                let (extractor, time) = input.extractorAndTime(of: index)
                if let time, entry.time.map({ time > $0 }) ?? true { entry.time = time }
                if let extractor { entry.extractors.insert(extractor) }
                edges[key] = entry
            }
        }
        var events: [JSONValue] = []
        let sourcesOfCollection = Dictionary(grouping: edges.keys, by: \.to).mapValues { $0.map(\.from.name).sorted() }
        for (key, entry) in edges.sorted(by: { ($0.key.to, $0.key.from.name) < ($1.key.to, $1.key.from.name) }) {
            let extractors = entry.extractors.sorted()
            let job = self.job(
                key.to, extractors: extractors, sources: sourcesOfCollection[key.to] ?? [key.from.name])
            let output: JSONValue = [
                "namespace": .string(namespace), "name": .string(Dataset.collection(key.to).name), "facets": [:],
                "outputFacets": [
                    "outputStatistics": facet(
                        Self.outputStatisticsSchema, ["rowCount": .number(JSONNumber(entry.documents))])
                ],
            ]
            events.append(
                event(
                    runID: runID("edge", key.from.name, key.to), time: entry.time ?? fallbackTime, job: job,
                    inputs: [["namespace": .string(namespace), "name": .string(key.from.name), "facets": [:]]],
                    outputs: [output]))
        }
        events += auditEvents(datasets: datasets.sorted { $0.name < $1.name }, report: report)
        return events
    }

    /// Writes ``events(graph:nodes:report:)`` as JSON Lines (one compact event a line, as
    /// OpenLineage's file transport writes them), handing the text to `sink`.
    public func writeJSONLines(
        graph: DecompositionGraph, nodes: [DecompositionGraph.Node]? = nil, report: AuditReport,
        to sink: ([UInt8]) throws -> Void
    ) rethrows {
        var output = ChunkedOutput(chunkSize: 1 << 20)
        for event in events(graph: graph, nodes: nodes, report: report) {
            output.append(event)
            output.append("\n")
            try output.flushIfFull(sink)
        }
        try output.finish(sink)
    }

    // MARK: - Parts

    private enum Dataset: Hashable {
        case bucket(String)
        case collection(String)

        var name: String {
            switch self {
            case .bucket(let id): "buckets/" + id
            case .collection(let id): "collections/" + id
            }
        }

        var id: String {
            switch self {
            case .bucket(let id), .collection(let id): id
            }
        }
    }

    private struct EdgeKey: Hashable {
        var from: Dataset
        var to: String
    }

    private func facet(_ schema: String, _ fields: JSONObject) -> JSONValue {
        var members: JSONObject = ["_producer": .string(producer), "_schemaURL": .string(schema)]
        for (key, value) in fields { members[key] = value }
        return .object(members)
    }

    private func job(_ collection: String, extractors: [String], sources: [String]) -> JSONValue {
        let extractorText = extractors.isEmpty ? "an unstated extractor" : extractors.joined(separator: ", ")
        return [
            "namespace": .string(namespace), "name": .string(collection),
            "facets": [
                "jobType": facet(
                    Self.jobTypeSchema,
                    ["processingType": "BATCH", "integration": "MIXPEEK", "jobType": "FEATURE_EXTRACTION"]),
                "documentation": facet(
                    Self.documentationSchema,
                    [
                        "description": .string(
                            "Mixpeek collection \(collection): \(extractorText) over \(sources.joined(separator: ", "))"
                        )
                    ]),
                "mixpeek_extraction": facet(
                    Self.extractionSchema,
                    [
                        "feature_extractors": .array(extractors.map(JSONValue.string)),
                        "sources": .array(sources.map(JSONValue.string)),
                    ]),
            ],
        ]
    }

    private func event(runID: String, time: String, job: JSONValue, inputs: [JSONValue], outputs: [JSONValue])
        -> JSONValue
    {
        [
            "eventType": "COMPLETE", "eventTime": .string(time), "run": ["runId": .string(runID), "facets": [:]],
            "job": job, "inputs": .array(inputs), "outputs": .array(outputs), "producer": .string(producer),
            "schemaURL": .string(Self.runEventSchema),
        ]
    }

    /// The audit as events of at most ``maximumInputsPerEvent`` inputs each.
    private func auditEvents(datasets: [Dataset], report: AuditReport) -> [JSONValue] {
        guard !datasets.isEmpty else { return [] }
        var counts: [Dataset: [String: Int]] = [:]
        for finding in report.findings {
            let dataset: Dataset
            if let collection = finding.collectionID {
                dataset = .collection(collection)
            } else if let bucket = finding.evidence["bucket_id"]?.stringValue {
                dataset = .bucket(bucket)
            } else {
                continue
            }
            counts[dataset, default: [:]][finding.rule, default: 0] += 1
        }
        let severityOfRule = Dictionary(
            Auditor.allRules.map { ($0.id, $0.severity) }, uniquingKeysWith: { first, _ in first })
        let job: JSONValue = [
            "namespace": .string(namespace), "name": .string(Self.auditJob),
            "facets": [
                "jobType": facet(
                    Self.jobTypeSchema, ["processingType": "BATCH", "integration": "LINEAGEKIT", "jobType": "AUDIT"]),
                "documentation": facet(
                    Self.documentationSchema,
                    ["description": "LineageKit's lineage audit of the Mixpeek namespace: one assertion per rule"]),
            ],
        ]
        let time = fallbackTime
        // The audit's runs are named by what it found, so the same snapshot makes the same runs.
        let findingsDigest = SHA256.hex(Array(report.findings.map(\.fingerprint).sorted().joined().utf8))
        var events: [JSONValue] = []
        var part = 0
        for start in stride(from: 0, to: datasets.count, by: maximumInputsPerEvent) {
            let inputs: [JSONValue] = datasets[start..<min(start + maximumInputsPerEvent, datasets.count)].map {
                dataset in
                let found = counts[dataset] ?? [:]
                let assertions: [JSONValue] = report.rules.map { rule in
                    let count = found[rule] ?? 0
                    let severity: String
                    switch severityOfRule[rule] ?? .warning {
                    case .error: severity = "error"
                    case .warning: severity = "warn"
                    case .info: severity = "info"
                    }
                    return [
                        "assertion": .string(rule), "success": .bool(count == 0), "severity": .string(severity),
                        "actual": .string(String(count)),
                    ]
                }
                return [
                    "namespace": .string(namespace), "name": .string(dataset.name), "facets": [:],
                    "inputFacets": [
                        "dataQualityAssertions": facet(Self.assertionsSchema, ["assertions": .array(assertions)])
                    ],
                ]
            }
            events.append(
                event(
                    runID: runID("audit", findingsDigest, String(part)), time: time, job: job, inputs: inputs,
                    outputs: []))
            part += 1
        }
        return events
    }

    /// A UUID (version 8, RFC 9562's custom layout) from SHA-256 of the namespace and `parts`.
    private func runID(_ parts: String...) -> String {
        var hex = Array(SHA256.hex(Array(([namespace] + parts).joined(separator: "\u{1F}").utf8)).prefix(32))
        hex[12] = "8"
        let variant = (Int(String(hex[16]), radix: 16) ?? 0) & 0x3 | 0x8
        hex[16] = Character(String(variant, radix: 16))
        func slice(_ range: Range<Int>) -> String { String(hex[range]) }
        return [slice(0..<8), slice(8..<12), slice(12..<16), slice(16..<20), slice(20..<32)].joined(separator: "-")
    }
}
