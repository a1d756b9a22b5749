import Foundation
import LineageKit

/// RFC 6901 JSON Pointers into a document's user fields, for nested changes (`/title/lang`).
///
/// Pointers descend through objects only: a change never turns a string, number or array into an
/// object, and never reaches into an array.
enum JSONPointer {
    /// The pointer text of reference tokens (`~` as `~0`, `/` as `~1`).
    static func text(_ tokens: [String]) -> String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }

    /// The reference tokens of a pointer.
    ///
    /// - Throws: ``CorrectionsError`` naming `place` for a pointer that is not RFC 6901.
    static func tokens(_ pointer: String, at place: String) throws -> [String] {
        guard pointer.hasPrefix("/") else {
            throw CorrectionsError("\(place): \"\(pointer)\" is not a JSON Pointer (RFC 6901): it must start with /")
        }
        return try pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            var out = ""
            var index = token.startIndex
            while index < token.endIndex {
                let character = token[index]
                index = token.index(after: index)
                guard character == "~" else {
                    out.append(character)
                    continue
                }
                guard index < token.endIndex, token[index] == "0" || token[index] == "1" else {
                    throw CorrectionsError("\(place): \"\(pointer)\" has a ~ not followed by 0 or 1 (RFC 6901)")
                }
                out.append(token[index] == "0" ? "~" : "/")
                index = token.index(after: index)
            }
            return out
        }
    }

    /// The target a pointer names: a one-token pointer is the top-level field itself.
    static func target(_ pointer: String, at place: String) throws -> CorrectionPlan.Target {
        let tokens = try tokens(pointer, at: place)
        return tokens.count == 1 ? .field(tokens[0]) : .pointer(tokens)
    }
}

extension CorrectionPlan.Target {
    /// The reference tokens from the user-field object.
    var tokens: [String] {
        switch self {
        case .field(let name): [name]
        case .pointer(let tokens): tokens
        }
    }

    /// Whether one target lies inside the other (or they are the same), so two changes of one
    /// patch would fight over a value.
    func overlaps(_ other: Self) -> Bool {
        let (mine, theirs) = (tokens, other.tokens)
        let shared = min(mine.count, theirs.count)
        return Array(mine.prefix(shared)) == Array(theirs.prefix(shared))
    }
}
