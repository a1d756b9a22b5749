import LineageTestSupport
import Testing

@testable import LineageKit

/// Chain steps keep the usual UTC timestamp packed inline; every timestamp must still read back
/// exactly as written, and two must be equal exactly when their texts are.
@Suite("Step timestamps")
struct StepTimestampTests {
    static let texts = [
        "2025-10-31T10:01:24Z", "2025-10-31T10:01:25Z", "2025-10-31T10:01:24.5Z", "2025-10-31T10:01:24z",
        "2025-10-31 10:01:24Z", "2025-10-31T10:01:24+00:00", "2025-10-3aT10:01:24Z", "2025-10-31T10:01:2Z", "",
        "\u{1}20251031100124", "\u{2}x", "\u{1}", "\u{2}", "\u{1}é", "yesterday", "2025-10-31T10:01:24Zé",
        "20251031100124",
    ]

    @Test("every timestamp reads back as written, and only the usual UTC form is packed inline")
    func roundTrip() {
        for text in Self.texts {
            let kept = StepTimestamp(text)
            #expect(kept.text == text)
            let isUsualForm =
                text.utf8.count == 20 && text.hasSuffix("Z") && text.dropFirst(10).hasPrefix("T")
                && text.allSatisfy { $0.isASCII && ($0.isNumber || "-T:Z".contains($0)) }
            #expect(kept.isPackedUTC == isUsualForm, "\(text.debugDescription)")
            if isUsualForm { #expect(kept.stored.utf8.count == 15) }
        }
    }

    @Test("kept forms are equal exactly when the texts are")
    func equalityFollowsText() {
        for first in Self.texts {
            for second in Self.texts {
                #expect((StepTimestamp(first) == StepTimestamp(second)) == (first == second))
            }
        }
    }

    @Test("the reader packs timestamps as written and unescaped alike; the chain reads back the texts")
    func readerPacks() throws {
        let record =
            #"{"document_id":"doc_1","collection_id":"col_a","root_object_id":"obj_1","source_type":"bucket","#
            + #""lineage_chain":[{"collection_id":"col_a","timestamp":"2025-10-31T10:01:24Z"},"#
            + #"{"collection_id":"col_b","timestamp":"2025-10-31T10:01:2\u0035Z"},"#
            + #"{"collection_id":"col_c","timestamp":"\u0001x"},{"collection_id":"col_d","timestamp":null}]}"#
        let document = try #require(try Fixtures.read(record).documents.first)
        let chain = try #require(document.statements.compactMap(\.chain).first)
        #expect(chain.map(\.timestamp) == ["2025-10-31T10:01:24Z", "2025-10-31T10:01:25Z", "\u{1}x", nil])
        #expect(chain.map { $0.keptTimestamp?.isPackedUTC } == [true, true, false, nil])
        var changed = chain[0]
        changed.timestamp = "2025-10-31T10:01:25Z"
        #expect(changed.keptTimestamp == chain[1].keptTimestamp)
    }

    @Test("mismatch.timestamp orders packed chains by their digits and mixed ones by their texts")
    func ruleOrder() {
        func chain(_ texts: String?...) -> [LineageStep] { texts.map { LineageStep(timestamp: $0) } }
        #expect(MismatchTimestampRule.inOrderAsText(chain("2025-10-31T10:01:24Z", nil, "2025-10-31T10:01:25Z")))
        #expect(!MismatchTimestampRule.inOrderAsText(chain("2025-10-31T10:01:25Z", "2025-10-31T10:01:24Z")))
        #expect(!MismatchTimestampRule.inOrderAsText(chain("2025-10-31T10:01:25Z", "2025-10-31T10:01:24.5Z")))
        #expect(MismatchTimestampRule.inOrderAsText(chain("2025-10-31T10:01:24.5Z", "2025-10-31T10:01:25.5Z")))
        #expect(!MismatchTimestampRule.inOrderAsText(chain("2025-10-31T10:01:24+00:00")))
    }
}
