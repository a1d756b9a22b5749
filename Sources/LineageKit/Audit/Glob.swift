/// Shell-style patterns with `*` (any run of characters) and `?` (one character), as rule
/// selections (`mismatch.*`) use them.
package enum Glob {
    /// Whether `text` matches `pattern` whole.
    package static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.utf8)
        let text = Array(text.utf8)
        var patternIndex = 0
        var textIndex = 0
        var starIndex = -1
        var matchIndex = 0
        while textIndex < text.count {
            if patternIndex < pattern.count,
                pattern[patternIndex] == UInt8(ascii: "?") || pattern[patternIndex] == text[textIndex]
            {
                patternIndex += 1
                textIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") {
                starIndex = patternIndex
                matchIndex = textIndex
                patternIndex += 1
            } else if starIndex >= 0 {
                patternIndex = starIndex + 1
                matchIndex += 1
                textIndex = matchIndex
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == UInt8(ascii: "*") {
            patternIndex += 1
        }
        return patternIndex == pattern.count
    }
}
