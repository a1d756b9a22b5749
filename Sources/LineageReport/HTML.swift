import Foundation
import LineageKit

/// Escaping for everything that goes into the report.
enum HTML {
    /// Text for element content and quoted attribute values: `&`, `<`, `>`, `"` and `'` as
    /// entities, and control characters other than tab and newline dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// JSON for a `<script type="application/json">` block: `<`, `>` and `&` written as `\u003c`,
    /// `\u003e` and `\u0026` (only possible inside strings, where they mean the same), so no value
    /// can close the script element or open a comment; DEL and C1 controls escaped too.
    static func scriptJSON(_ value: JSONValue) -> String {
        var out = ""
        for scalar in value.serialized().unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            case "\u{7F}"..."\u{9F}": out += "\\u00" + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Graphviz's SVG without its XML prolog and doctype, ready to sit inside HTML.
    static func inlineSVG(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "<svg") else { return "" }
        return String(text[start.lowerBound...])
    }
}
