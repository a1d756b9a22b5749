import Testing

@testable import LineageKit

/// The escaping the CI formats rely on.
@Suite("CI output escaping")
struct CIOutputTests {
    @Test("workflow commands escape %, CR and LF in messages, and : and , in properties")
    func annotations() {
        #expect(AuditReport.annotationData("50% of\r\na: b, c") == "50%25 of%0D%0Aa: b, c")
        #expect(AuditReport.annotationProperty("dir/a:b,c%.jsonl") == "dir/a%3Ab%2Cc%25.jsonl")
    }

    @Test("JUnit text and attributes escape markup and drop characters XML cannot hold")
    func xml() {
        #expect(AuditReport.xml(#"<a href="x">&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;")
        // Parsers turn a raw tab or newline in an attribute into a space, and a raw return anywhere
        // into a newline: those are written as character references.
        #expect(AuditReport.xml("bell\u{7}tab\tend") == "bell\u{FFFD}tab&#9;end")
        #expect(AuditReport.xml("bell\u{7}tab\tend", inAttribute: false) == "bell\u{FFFD}tab\tend")
        // The edges of XML 1.0's character range, and text that is not ASCII, kept or replaced.
        #expect(
            AuditReport.xml("\r\n\u{0}\u{1F}\u{7F}é😀\u{FFFD}\u{FFFE}\u{FFFF}", inAttribute: false)
                == "&#13;\n\u{FFFD}\u{FFFD}\u{7F}é😀\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(AuditReport.xml("a\r\nb") == "a&#13;&#10;b")
    }

    @Test("a finding's fingerprint is SHA-256 of its baseline key, the same for the same rule and document")
    func fingerprint() {
        let one = Finding(
            rule: "cycle", severity: .error, documentID: "doc_a", collectionID: "col_c", message: "m")
        var other = one
        other.message = "another message"
        #expect(one.fingerprint == other.fingerprint)
        #expect(one.fingerprint.count == 64)
        other.documentID = "doc_b"
        #expect(one.fingerprint != other.fingerprint)
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
