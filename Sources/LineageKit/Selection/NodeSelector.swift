/// A selection of graph nodes, written in a small language after dbt's.
///
/// A term names a starting set, optionally widened:
/// - `doc_…` or `obj_…`: that node (an object names its whole tree, as if written `@obj_…`);
/// - `collection:NAME`: the documents of a collection;
/// - `rule:GLOB`: the documents with a finding whose rule matches (`rule:mismatch.*`);
/// - `+TERM` adds every ancestor, `2+TERM` ancestors up to 2 steps; `TERM+` adds every descendant,
///   `TERM+1` descendants 1 step down; `@TERM` takes the whole tree each node belongs to.
///
/// Terms separated by spaces or commas are united; terms joined by `&` are intersected
/// (`collection:col_scenes&rule:drift.*`). The result is in graph order.
public struct NodeSelector: Sendable, CustomStringConvertible {
    struct Term: Sendable {
        enum Atom: Sendable {
            case id(String)
            case collection(String)
            case rule(String)
        }

        var atom: Atom
        var ancestors: Int??  // nil: none; .some(nil): all; .some(n): up to n
        var descendants: Int??
        var wholeTree = false
    }

    /// The expression as given.
    public let description: String
    /// Union of intersections of terms.
    let alternatives: [[Term]]

    /// Parses an expression.
    ///
    /// - Throws: ``LineageKitError`` (`invalidArgument`) naming the term that does not parse.
    public init(_ expression: String) throws {
        description = expression
        let unionParts = expression.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" })
        guard !unionParts.isEmpty else {
            throw LineageKitError(code: .invalidArgument, message: "empty selection")
        }
        alternatives = try unionParts.map { part in
            try part.split(separator: "&", omittingEmptySubsequences: false).map { try Self.term(String($0)) }
        }
    }

    /// What the API's lineage endpoints can answer for an expression of one term that names a
    /// document or object: the node, and how far to widen it.
    public struct TreeRequest: Sendable, Equatable {
        /// The document or object id.
        public var id: String
        /// Ancestors to add: `nil` none; `.some(nil)` all; `.some(n)` up to n steps.
        public var ancestors: Int??
        /// Descendants to add, likewise.
        public var descendants: Int??
        /// Whether the whole tree of the node's root object is wanted (`@DOC`, or an object id).
        public var wholeTree: Bool
    }

    /// The tree request, when the expression is one `DOC`, `+DOC`, `DOC+`, `N+DOC+M` or `@DOC`
    /// term (or an object id); `nil` for anything else (collections, rules, unions).
    public var treeRequest: TreeRequest? {
        guard alternatives.count == 1, alternatives[0].count == 1, case .id(let id) = alternatives[0][0].atom else {
            return nil
        }
        let term = alternatives[0][0]
        return TreeRequest(
            id: id, ancestors: term.ancestors, descendants: term.descendants,
            wholeTree: term.wholeTree || id.hasPrefix("obj_"))
    }

    private static func term(_ text: String) throws -> Term {
        var rest = Substring(text)
        func fail(_ why: String) -> LineageKitError {
            LineageKitError(code: .invalidArgument, message: "selection term '\(text)': \(why)")
        }
        var ancestors: Int??
        if let plus = rest.firstIndex(of: "+"), rest[..<plus].allSatisfy(\.isNumber) {
            let digits = rest[..<plus]
            ancestors = .some(digits.isEmpty ? nil : Int(digits))
            rest = rest[rest.index(after: plus)...]
        }
        var descendants: Int??
        if let plus = rest.lastIndex(of: "+"), rest[rest.index(after: plus)...].allSatisfy(\.isNumber) {
            let digits = rest[rest.index(after: plus)...]
            descendants = .some(digits.isEmpty ? nil : Int(digits))
            rest = rest[..<plus]
        }
        var wholeTree = false
        if rest.hasPrefix("@") {
            wholeTree = true
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { throw fail("names nothing") }
        guard !rest.contains("+") && !rest.contains("@") else { throw fail("'+' and '@' go only at the ends") }
        let atom: Term.Atom
        if rest.hasPrefix("collection:") {
            atom = .collection(String(rest.dropFirst("collection:".count)))
        } else if rest.hasPrefix("rule:") {
            let pattern = String(rest.dropFirst("rule:".count))
            guard Auditor.allRules.contains(where: { Glob.matches(pattern, $0.id) }) else {
                let ids = Auditor.allRules.map(\.id)
                let nearest = Self.nearest(to: pattern, in: ids).map { "did you mean rule:\($0)? " } ?? ""
                throw fail("matches no rule; \(nearest)rules are \(ids.joined(separator: ", "))")
            }
            atom = .rule(pattern)
        } else {
            atom = .id(String(rest))
        }
        return Term(atom: atom, ancestors: ancestors, descendants: descendants, wholeTree: wholeTree)
    }

    /// The nodes of `graph` the expression selects, in graph order.
    ///
    /// - Parameters:
    ///   - graph: The graph to select from.
    ///   - findings: The audit's findings, for `rule:` terms.
    /// - Returns: The selected nodes, in graph order.
    /// - Throws: ``LineageKitError`` when a term names a node or collection the graph does not have.
    public func select(in graph: DecompositionGraph, findings: [Finding] = []) throws -> [DecompositionGraph.Node] {
        var selected: Set<Int> = []
        for conjunction in alternatives {
            var common: Set<Int>?
            for term in conjunction {
                let nodes = try evaluate(term, in: graph, findings: findings)
                common = common.map { $0.intersection(nodes) } ?? nodes
            }
            selected.formUnion(common ?? [])
        }
        guard !selected.isEmpty else {
            throw LineageKitError(
                code: .invalidArgument,
                message: "the selection '\(description)' matched nothing (a rule: term selects documents with "
                    + "findings of that rule, and there are none; terms joined by & may share no node)")
        }
        return selected.sorted().map { graph.nodes[$0] }
    }

    /// The candidate closest to `text` by edit distance, when it is close enough to be a typo.
    static func nearest(to text: String, in candidates: [String]) -> String? {
        let target = Array(text.utf8)
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.utf8))
            if distance <= max(2, target.count / 3), distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func editDistance(_ left: [UInt8], _ right: [UInt8]) -> Int {
        if left.isEmpty { return right.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for (i, a) in left.enumerated() {
            current[0] = i + 1
            for (j, b) in right.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a == b ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    private func evaluate(_ term: Term, in graph: DecompositionGraph, findings: [Finding]) throws -> Set<Int> {
        var base: [DecompositionGraph.Node]
        var whole = term.wholeTree
        switch term.atom {
        case .id(let id):
            if let node = graph.node(.document(id)) {
                base = [node]
            } else if let node = graph.node(.object(id)) {
                base = [node]
                whole = true
            } else if let colon = id.firstIndex(of: ":"), id[..<colon].allSatisfy(\.isLetter) {
                throw LineageKitError(
                    code: .invalidArgument,
                    message:
                        "selection term '\(id)': unknown prefix '\(id[...colon])'; terms are an id (doc_…, obj_…), "
                        + "collection:NAME or rule:GLOB")
            } else {
                let nearest =
                    Self.nearest(to: id, in: graph.nodes.map(\.id.rawID)).map { "; did you mean \($0)?" } ?? ""
                throw LineageKitError(
                    code: .invalidArgument,
                    message: "selection names \(id), which is not a document or object here\(nearest)")
            }
        case .collection(let name):
            base = graph.documentNodes(inCollection: name)
            guard !base.isEmpty else {
                let nearest = Self.nearest(to: name, in: graph.collectionIDs).map { "; did you mean \($0)?" } ?? ""
                throw LineageKitError(
                    code: .invalidArgument,
                    message: "selection names collection \(name), which has no documents here\(nearest)")
            }
        case .rule(let pattern):
            let ids = Set(findings.filter { Glob.matches(pattern, $0.rule) }.compactMap(\.documentID))
            base = ids.compactMap { graph.node(.document($0)) }
        }
        var result = Set(base.map(\.index))
        for node in base {
            if whole {
                let root =
                    node.kind == .object || node.kind == .ghostObject
                    ? node : graph.pathToRoot(from: node.id).last ?? node
                if root.kind == .object || root.kind == .ghostObject {
                    result.formUnion(graph.tree(ofRootObject: root.id.rawID).map(\.index))
                } else {
                    result.insert(root.index)
                    result.formUnion(graph.descendants(of: root.id).map(\.index))
                }
            }
            if let depth = term.ancestors {
                result.formUnion(graph.ancestors(of: node.id, maxDepth: depth).map(\.index))
            }
            if let depth = term.descendants {
                result.formUnion(graph.descendants(of: node.id, maxDepth: depth).map(\.index))
            }
        }
        return result
    }
}
