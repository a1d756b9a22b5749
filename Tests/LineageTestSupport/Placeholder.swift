import LineageKit
