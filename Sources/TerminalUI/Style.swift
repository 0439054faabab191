/// What a piece of text is, not how it looks: the backend's theme maps roles to colours,
/// and to bold/underline/reverse when colour is off, so no meaning rides on colour alone.
public enum Role: Int, CaseIterable, Sendable {
    case normal, dim, border, borderFocused, title, selection, selectionUnfocused, heading, link
    case searchMatch, searchMatch2, searchMatch3, added, removed, status, statusKey, warning, bar, placeholder
    /// A clause's category tag; heat-map levels 1 (little) to 4 (most).
    case tag, heat1, heat2, heat3, heat4
}

/// Text attributes that combine with a role.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let italic = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let reverse = Attributes(rawValue: 8)
}

/// A role plus attributes.
public struct Style: Sendable, Hashable {
    public var role: Role
    public var attributes: Attributes
    public init(_ role: Role = .normal, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }
    public static let normal = Style()
}
