import Foundation
import LineageKit
import LineageTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `audit --format junit` against the shape of the JUnit XSD CI servers read (Ant's and Jenkins'
/// `junit-10.xsd`): which elements nest where, in which order, with which required attributes,
/// and counts that add up. It needs no Python, so it always runs.
@Suite("JUnit XSD shape")
struct JUnitSchemaTests {
    /// One element as parsed: name, attributes, children and text.
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""
        init(name: String, attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
    }

    /// Builds the element tree with Foundation's XML parser (libxml2), failing on malformed XML.
    final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = Element(name: name, attributes: attributes)
            stack.last?.children.append(element)
            if stack.isEmpty { root = element }
            stack.append(element)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
    }

    /// The XSD's content model: allowed children in order (each with how many may appear) and the
    /// required attributes, per element.
    static let model: [String: (children: [(name: String, many: Bool)], required: [String], integers: [String])] = [
        "testsuites": ([("testsuite", true)], [], ["tests", "failures", "errors"]),
        "testsuite": (
            [("properties", false), ("testcase", true), ("system-out", false), ("system-err", false)],
            ["name", "tests"], ["tests", "failures", "errors", "skipped"]
        ),
        "testcase": (
            [("skipped", false), ("error", true), ("failure", true), ("system-out", false), ("system-err", false)],
            ["name", "classname"], []
        ),
        "failure": ([], [], []), "error": ([], [], []), "skipped": ([], [], []), "system-out": ([], [], []),
        "system-err": ([], [], []),
    ]

    /// Everything about `element` and its descendants that breaks the model.
    static func violations(_ element: Element, path: String = "") -> [String] {
        let here = path + "/" + element.name
        guard let rule = model[element.name] else { return ["\(here): not an element of the JUnit schema"] }
        var problems: [String] = []
        for attribute in rule.required where element.attributes[attribute] == nil {
            problems.append("\(here): missing the required attribute \(attribute)")
        }
        for attribute in rule.integers {
            if let value = element.attributes[attribute], (Int(value) ?? -1) < 0 {
                problems.append("\(here): \(attribute)=\(value) is not a non-negative integer")
            }
        }
        var position = 0
        var seen = 0
        for child in element.children {
            while position < rule.children.count, rule.children[position].name != child.name {
                position += 1
                seen = 0
            }
            guard position < rule.children.count else {
                problems.append("\(here): \(child.name) is not allowed here or out of order")
                break
            }
            seen += 1
            if seen > 1, !rule.children[position].many { problems.append("\(here): more than one \(child.name)") }
            problems += violations(child, path: here)
        }
        if rule.children.isEmpty, !element.children.isEmpty { problems.append("\(here): holds elements") }
        return problems
    }

    @Test("every element, attribute and count is what the JUnit XSD allows")
    func shape() throws {
        let work = try TemporaryDirectory()
        let corpus = work.file("corpus")
        let made = try CommandRunner.run([
            "sample", "-o", corpus, "--videos", "4", "--articles", "4", "--defects", "1", "--shape", "mixed",
        ])
        #expect(made.status == 0, "\(made.standardError)")
        let run = try CommandRunner.run(["audit", corpus, "--format", "junit", "--fail-on", "never"])
        #expect(run.status == 0, "\(run.standardError)")
        let parser = XMLParser(data: Data(run.standardOutput.utf8))
        let builder = TreeBuilder()
        parser.delegate = builder
        #expect(parser.parse(), "well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        let root = try #require(builder.root)
        #expect(root.name == "testsuites")
        #expect(Self.violations(root) == [])
        // Counts add up, suite by suite and in total.
        var cases = 0
        var failing = 0
        for suite in root.children {
            let failed = suite.children.filter { $0.children.contains { $0.name == "failure" } }.count
            #expect(Int(suite.attributes["tests"] ?? "") == suite.children.count, "\(suite.attributes["name"] ?? "")")
            #expect(Int(suite.attributes["failures"] ?? "") == failed)
            cases += suite.children.count
            failing += failed
        }
        #expect(Int(root.attributes["tests"] ?? "") == cases && Int(root.attributes["failures"] ?? "") == failing)
        #expect(failing > 0, "the defects make failures")
    }

    @Test("the shape check catches what the XSD forbids")
    func checkerCanFail() {
        let suite = Element(name: "testsuite", attributes: ["tests": "one"])
        let testCase = Element(name: "testcase", attributes: [:])
        testCase.children = [Element(name: "system-out", attributes: [:]), Element(name: "failure", attributes: [:])]
        suite.children = [testCase, Element(name: "bogus", attributes: [:])]
        let problems = Self.violations(suite)
        #expect(problems.contains("/testsuite: missing the required attribute name"))
        #expect(problems.contains("/testsuite: tests=one is not a non-negative integer"))
        #expect(problems.contains("/testsuite/testcase: missing the required attribute name"))
        #expect(problems.contains("/testsuite/testcase: missing the required attribute classname"))
        #expect(problems.contains("/testsuite/testcase: failure is not allowed here or out of order"))
        #expect(problems.contains("/testsuite: bogus is not allowed here or out of order"))
    }
}
