extension String {
    /// "… and N more", with `hint` in parentheses when given: the line every text listing ends
    /// with when it shows only part of a list. The library names no way to see the rest; a
    /// command passes its flag as the hint.
    static func andMore(_ hidden: Int, hint: String?) -> String {
        "… and \(hidden) more" + (hint.map { " (\($0))" } ?? "")
    }
}
