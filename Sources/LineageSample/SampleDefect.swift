import LineageKit

/// A defect `lineage sample --defects N` injects, one kind per audit rule, each into documents
/// chosen so that the audit must report exactly the listed findings and nothing on any other
/// document: every defect is made on a leaf document (no document is derived from it), and
/// changes every place that states the fact it breaks, unless disagreement between places is
/// the defect.
public enum SampleDefect: String, Sendable, CaseIterable {
    /// A caption whose source document (in every place, chain included) does not exist.
    case missingParent = "orphan.missing-parent"
    /// A chunk whose root object (and source object) does not exist.
    case missingRoot = "orphan.missing-root"
    /// The first video's object deleted from its bucket, which the sample's manifest says was
    /// looked up whole: every document of that video gets the finding (and no other defect goes
    /// into that tree).
    case deletedRoot = "orphan.deleted-root"
    /// A face with every lineage field removed.
    case noLineage = "orphan.no-lineage"
    /// A face whose less authoritative place names another root object.
    case mismatchRoot = "mismatch.root"
    /// A chunk (bucket source) that also names a source document.
    case mismatchSource = "mismatch.source"
    /// A caption whose chain and path end in another collection than its own.
    case mismatchCollection = "mismatch.collection"
    /// A face whose path has an extra collection.
    case mismatchPath = "mismatch.path"
    /// A caption whose chain (and path) starts with another collection than its scene's chain.
    case mismatchParent = "mismatch.parent"
    /// A chunk that says it comes from the video bucket.
    case mismatchPipeline = "mismatch.pipeline"
    /// A caption whose last chain step is an hour before the step before it.
    case mismatchTimestamp = "mismatch.timestamp"
    /// Two captions of one video naming each other as source (also `mismatch.parent` on both:
    /// each one's source is a caption, not a scene).
    case cycle = "cycle"
    /// A face whose passthrough `campaign_id` was changed (even instances) or removed (odd ones).
    case drift = "drift.metadata"
    /// A face whose ingestion status is `PROCESSING`.
    case ingestion = "ingestion.incomplete"
    /// A face made by an extractor its collection no longer uses: its chain's last step names
    /// another extractor (even instances, and documents without `_internal`), or its
    /// configuration hash is an old one and it was made long before the others (odd ones).
    case staleExtractor = "stale.extractor"
    /// A face whose enrichment stopped: `__fully_enriched` false (even instances) or a feature
    /// listed in `__missing_features` (odd ones).
    case enrichmentPartial = "enrichment.partial"
    /// The chunks collection archived (`lifecycle_state`): every chunk gets the finding.
    case collectionArchived = "collection.archived"
    /// A chunk made again by a re-run, as a new document a day later: an exact copy (even
    /// instances) or one whose text changed (odd ones; the chunk index still places it). The copy
    /// gets the finding; the original is the keeper.
    case duplicate = "duplicate.document"
    /// An article's processing batch that disagrees with its documents: its tier task says it
    /// wrote one chunk more than there are (even instances), or it lists a failed object of which
    /// no document exists (odd ones). The finding is about the batch, not a document.
    case batchUnreconciled = "batch.unreconciled"

    /// The rule the defect must trigger.
    public var rule: String { rawValue }

    /// The collection whose documents receive the defect.
    var collection: SampleCollection {
        switch self {
        case .missingParent, .mismatchCollection, .mismatchParent, .mismatchTimestamp, .cycle: .captions
        case .deletedRoot: .frames
        case .missingRoot, .mismatchSource, .mismatchPipeline, .collectionArchived, .duplicate, .batchUnreconciled:
            .chunks
        case .noLineage, .mismatchRoot, .mismatchPath, .drift, .ingestion, .staleExtractor, .enrichmentPartial: .faces
        }
    }

    /// How many documents one instance changes.
    var documentsPerInstance: Int { self == .cycle ? 2 : 1 }

    /// Whether the defect is made on the collection's configuration, once, rather than on documents:
    /// then every document of the collection gets the finding.
    var isCollectionWide: Bool { self == .collectionArchived }

    /// Whether the defect is made on a whole tree (its root object), once, rather than on documents.
    var isTreeWide: Bool { self == .deletedRoot }

    /// Whether the defect is made on a tree's processing batch rather than on documents.
    var isOnBatch: Bool { self == .batchUnreconciled }
}

/// Chooses documents for defects tree by tree, applies them, and remembers the findings due.
struct SampleDefectPlanner {
    enum TreeKind { case video, article }

    private var remaining: [SampleDefect: Int]
    private var treesLeft: [TreeKind: Int]
    private var random: SampleRandom
    private var expected: [JSONValue] = []
    private var instance: [SampleDefect: Int] = [:]
    private let perRule: Int

    init(perRule: Int, videos: Int, articles: Int, random: SampleRandom) {
        self.perRule = perRule
        self.remaining = Dictionary(
            uniqueKeysWithValues: SampleDefect.allCases.map { defect in
                (defect, defect.isCollectionWide ? 0 : defect.isTreeWide ? (videos > 0 ? 0 : 1) : perRule)
            })
        // The first video's tree is the deleted root's, and takes no other defect.
        self.treesLeft = [.video: max(0, videos - 1), .article: articles]
        self.random = random
    }

    /// Applies this tree's share of each defect to unused leaf documents of the tree.
    mutating func inject(into tree: inout [SampleNamespace.Record], treeKind: TreeKind) {
        let trees = max(1, treesLeft[treeKind] ?? 1)
        treesLeft[treeKind] = trees - 1
        var used: Set<Int> = []
        for defect in SampleDefect.allCases
        where !defect.isCollectionWide && !defect.isTreeWide && !defect.isOnBatch
            && (defect.collection == .chunks) == (treeKind == .article)
        {
            let left = remaining[defect] ?? 0
            let share = (left + trees - 1) / trees
            for _ in 0..<share {
                var candidates = tree.indices.filter { index in
                    guard !used.contains(index), case .document(let value) = tree[index] else { return false }
                    return value["collection_id"]?.stringValue == defect.collection.id
                }
                guard candidates.count >= defect.documentsPerInstance else { break }
                var chosen: [Int] = []
                for _ in 0..<defect.documentsPerInstance {
                    let pick = random.int(0...(candidates.count - 1))
                    chosen.append(candidates.remove(at: pick))
                }
                used.formUnion(chosen)
                let added = apply(defect, to: chosen, in: &tree)
                used.formUnion(added)
                remaining[defect, default: 0] -= 1
            }
        }
    }

    /// The processing batch that made `tree` (whose root object is `objectID`): one tier task per
    /// stage of the pipeline, each saying it wrote exactly the documents of the tree that state
    /// that root, unless the tree takes a `batch.unreconciled` defect (articles, one a tree).
    mutating func batch(for tree: [SampleNamespace.Record], objectID: String, treeKind: TreeKind) -> JSONValue {
        var written: [String: Int] = [:]
        for record in tree {
            guard case .document(let value) = record else { continue }
            let document = SampleDocumentEditor(value)
            if document.resolvedRoot == objectID { written[document.collection, default: 0] += 1 }
        }
        let tiers: [[SampleCollection]] =
            treeKind == .video ? [[.frames], [.scenes, .faces], [.captions]] : [[.chunks]]
        let batchID = "btch_" + objectID.dropFirst(4)
        var tasks: [JSONObject] = tiers.enumerated().map { tier, collections in
            [
                "tier_num": .number(JSONNumber(tier)), "status": "COMPLETED",
                "collection_ids": .array(collections.map { .string($0.id) }),
                "documents_written": .number(JSONNumber(collections.reduce(0) { $0 + written[$1.id, default: 0] })),
            ]
        }
        var objectIDs: [JSONValue] = [.string(objectID)]
        var failed: [JSONValue] = []
        if treeKind == .article, remaining[.batchUnreconciled, default: 0] > 0 {
            let number = instance[.batchUnreconciled, default: 0]
            instance[.batchUnreconciled] = number + 1
            remaining[.batchUnreconciled, default: 0] -= 1
            let subject: String
            if number % 2 == 0 {
                let stated = (tasks[0]["documents_written"]?.intValue ?? 0) + 1
                tasks[0]["documents_written"] = .number(JSONNumber(stated))
                subject = "\(batchID) tier 0"
            } else {
                let lost = "obj_failed_\(number)"
                objectIDs.append(.string(lost))
                failed.append([
                    "object_id": .string(lost), "collection_id": .string(SampleCollection.chunks.id), "tier_num": 0,
                    "error": "text extraction timed out", "timestamp": "2025-11-01T10:00:00Z",
                ])
                subject = "\(batchID) \(lost)"
            }
            expected.append([
                "rule": .string(SampleDefect.batchUnreconciled.rule), "document_id": .null,
                "collection_id": .string(SampleCollection.chunks.id), "subject": .string(subject),
            ])
        }
        return [
            "batch_id": .string(batchID),
            "bucket_id": .string(treeKind == .video ? SampleNamespace.videoBucket : SampleNamespace.articleBucket),
            "status": "COMPLETED", "object_ids": .array(objectIDs), "tier_tasks": .array(tasks.map(JSONValue.object)),
            "failed_documents": .array(failed),
        ]
    }

    /// Deletes the tree's root object (drops its record) and expects `orphan.deleted-root` on
    /// every document of the tree.
    mutating func deleteRoot(of tree: inout [SampleNamespace.Record]) {
        tree.removeAll { if case .object = $0 { true } else { false } }
        for record in tree {
            guard case .document(let value) = record else { continue }
            expect(SampleDefect.deletedRoot.rule, SampleDocumentEditor(value))
        }
    }

    /// Expects the findings of the collection-wide defects on every document of their collection
    /// in `tree` (the configuration says so: ``SampleNamespace/collectionConfigs``).
    mutating func expectCollectionWide(in tree: [SampleNamespace.Record]) {
        for defect in SampleDefect.allCases where defect.isCollectionWide {
            for record in tree {
                guard case .document(let value) = record, value["collection_id"]?.stringValue == defect.collection.id
                else { continue }
                expect(defect.rule, SampleDocumentEditor(value))
            }
        }
    }

    /// The findings due; fails when some defect could not be placed.
    func expectedFindings() throws -> [JSONValue] {
        let short = remaining.filter { $0.value > 0 }.map(\.key.rule).sorted()
        guard short.isEmpty else {
            throw LineageKitError(
                code: .invalidArgument,
                message: "too few documents to inject \(perRule) defect(s) of \(short.joined(separator: ", ")); "
                    + "generate more videos or articles")
        }
        return expected
    }

    private mutating func expect(_ rule: String, _ document: SampleDocumentEditor) {
        expected.append(
            ["rule": .string(rule), "document_id": .string(document.id), "collection_id": .string(document.collection)])
    }

    /// Applies `defect` to the documents at `indices`; returns the indices of documents it added.
    private mutating func apply(_ defect: SampleDefect, to indices: [Int], in tree: inout [SampleNamespace.Record])
        -> [Int]
    {
        var documents = indices.map { index -> SampleDocumentEditor in
            guard case .document(let value) = tree[index] else { preconditionFailure("chosen records are documents") }
            return SampleDocumentEditor(value)
        }
        let number = instance[defect, default: 0]
        instance[defect] = number + 1
        switch defect {
        case .missingParent:
            let missing = "doc_missing_parent_\(number)"
            documents[0].setFact("source_document_id", missing)
            documents[0].editChains { chain in chain[chain.count - 2]["document_id"] = .string(missing) }
        case .missingRoot:
            let missing = "obj_missing_root_\(number)"
            documents[0].setFact("root_object_id", missing)
            documents[0].setFact("source_object_id", missing)
        case .noLineage:
            documents[0].removeLineage()
        case .mismatchRoot:
            documents[0].setFactInSecondaryPlace("root_object_id", "obj_elsewhere_\(number)")
        case .mismatchSource:
            documents[0].setFactInPrimaryPlace("source_document_id", "doc_stray_\(number)")
        case .mismatchCollection:
            documents[0].editChains { chain in chain[chain.count - 1]["collection_id"] = "col_elsewhere" }
            documents[0].editPaths { segments in segments[segments.count - 1] = "col_elsewhere" }
        case .mismatchPath:
            documents[0].editPaths(addingWhenAbsent: true) { segments in segments.insert("col_extra", at: 1) }
        case .mismatchParent:
            documents[0].editChains { chain in chain[0]["collection_id"] = "col_elsewhere" }
            documents[0].editPaths { segments in segments[1] = "col_elsewhere" }
        case .mismatchPipeline:
            documents[0].setFact("root_bucket_id", SampleNamespace.videoBucket)
            documents[0].editPaths { segments in segments[0] = SampleNamespace.videoBucket }
        case .mismatchTimestamp:
            documents[0].editChains { chain in
                let previous = chain[chain.count - 2]["timestamp"]?.stringValue.flatMap(ISOTimestamp.seconds) ?? 0
                chain[chain.count - 1]["timestamp"] = .string(isoTimestamp(Int(previous) - 3600))
            }
        case .cycle:
            for (index, other) in [(0, 1), (1, 0)] {
                let target = documents[other].id
                documents[index].setFact("source_document_id", target)
                documents[index].editChains { chain in chain[chain.count - 2]["document_id"] = .string(target) }
            }
        case .drift:
            documents[0].setUserField("campaign_id", number % 2 == 0 ? "drifted_campaign" : nil)
        case .ingestion:
            documents[0].setIngestionStatus("PROCESSING")
        case .staleExtractor:
            if number % 2 == 1, documents[0].hasInternalPayload {
                documents[0].setConfigHash("legacy0c0nf1g", createdAt: "2025-01-01T00:00:00Z")
            } else {
                documents[0].editChains { chain in
                    chain[chain.count - 1]["feature_extractor_id"] = "legacy_extractor_v0"
                }
            }
        case .collectionArchived:
            preconditionFailure("collection-wide defects are made on the configuration, not on documents")
        case .deletedRoot:
            preconditionFailure("tree-wide defects are made on the root object, not on documents")
        case .batchUnreconciled:
            preconditionFailure("batch defects are made on the tree's batch, not on documents")
        case .duplicate:
            var copy = documents[0]
            copy.remake(id: documents[0].id + "_rerun", laterBy: 86_400)
            if number % 2 == 1 { copy.setUserField("text", "Re-extracted: " + (copy.userField("text") ?? "")) }
            tree.append(.document(copy.value))
            expect(defect.rule, copy)
            return [tree.count - 1]
        case .enrichmentPartial:
            if number % 2 == 0 {
                documents[0].setUserField(EnrichmentPartialRule.fullyEnriched, value: false)
            } else {
                documents[0].setUserField(EnrichmentPartialRule.fullyEnriched, value: true)
                documents[0].setUserField(EnrichmentPartialRule.missingFeatures, value: ["face_embedding"])
            }
        }
        for (position, index) in indices.enumerated() {
            tree[index] = .document(documents[position].value)
            expect(defect.rule, documents[position])
            if defect == .cycle { expect(SampleDefect.mismatchParent.rule, documents[position]) }
        }
        return []
    }
}
