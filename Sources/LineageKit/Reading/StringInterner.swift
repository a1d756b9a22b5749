/// Shares one copy of each repeated id string (collection, bucket, root object, parent ids).
///
/// Ids repeat across a namespace: every frame of a video names the same root object, every
/// scene of a frame names that frame. Interning them keeps memory proportional to distinct ids.
/// Strings of up to 15 UTF-8 bytes are stored inline by Swift and are not worth a lookup.
struct StringInterner {
    private var table: Set<String> = []

    @inline(__always)
    mutating func intern(_ string: String) -> String {
        guard string.utf8.count > 15 else { return string }
        return table.insert(string).memberAfterInsert
    }
}
