import Foundation
import LineageKit
import LineageTestSupport
import Testing

/// `lineage audit --format junit`, read back by an independent JUnit reader (`junitparser`, from
/// scripts/python-env) and by Python's own XML parser.
@Suite("JUnit output", .enabled(if: Run.python3 != nil, "python3 is missing"))
struct JUnitFormatTests {
    @Test("junitparser reads one suite per rule, one case per rule and collection, failures for errors and warnings")
    func readByJUnitParser() throws {
        let work = try TemporaryDirectory()
        let corpus = work.file("corpus")
        let made = try CommandRunner.run([
            "sample", "-o", corpus, "--videos", "4", "--articles", "4", "--defects", "1", "--shape", "mixed",
        ])
        #expect(made.status == 0, "\(made.standardError)")
        // A collection whose id needs escaping in XML, with a document that names no lineage.
        let odd = #"{"document_id":"doc_odd","collection_id":"col_<a&\"b>","metadata":{"x":1}}"#
        _ = try work.write("corpus/odd.jsonl", odd + "\n")
        let junit = try CommandRunner.run(["audit", corpus, "--format", "junit", "--fail-on", "never"])
        #expect(junit.status == 0, "\(junit.standardError)")
        let json = try CommandRunner.run(["audit", corpus, "--format", "json", "--fail-on", "never"])
        let report = try JSONValue(parsing: Array(json.standardOutput.utf8), name: "audit")
        // What the JSON says the XML must hold: rules, and (rule, collection) pairs with errors or warnings.
        let rules = Auditor.allRules.map(\.id)
        var failing: Set<String> = []
        for finding in report["findings"]?.arrayValue ?? [] where finding["severity"] != "info" {
            failing.insert(
                (finding["rule"]?.stringValue ?? "") + " " + (finding["collection_id"]?.stringValue ?? "namespace"))
        }
        #expect(failing.contains("orphan.no-lineage col_<a&\"b>"))
        let xml = try work.write("audit.xml", junit.standardOutput)
        let python = try SDKConformanceTests.interpreter()
        let script = """
            import sys, json
            import xml.etree.ElementTree as ElementTree
            from junitparser import JUnitXml, Failure
            ElementTree.parse(sys.argv[1])
            xml = JUnitXml.fromfile(sys.argv[1])
            failing = []
            for suite in xml:
                for case in suite:
                    if any(isinstance(result, Failure) for result in case.result):
                        failing.append(case.classname + " " + case.name)
            print(json.dumps({"suites": [suite.name for suite in xml], "tests": xml.tests,
                              "failures": xml.failures, "failing": sorted(failing)}))
            """
        let checker = try work.write("check.py", script)
        let read = try Run.process(python, [checker, xml])
        #expect(read.status == 0, "\(read.errors)")
        let parsed = try JSONValue(parsing: Array(read.output.utf8), name: "junitparser")
        #expect(parsed["suites"]?.arrayValue?.compactMap(\.stringValue) == rules)
        #expect(Set(parsed["failing"]?.arrayValue?.compactMap(\.stringValue) ?? []) == failing)
        #expect(parsed["failures"]?.intValue == failing.count)
    }
}
