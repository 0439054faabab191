/// A key press or terminal event, independent of ncurses.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    /// A character typed with Alt (Meta): the terminal sends Esc and the character at once.
    case alt(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete
    case resize
    case mouse(MouseEvent)
    case function(Int)

    /// How the key is written in help text.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c)
        case .alt(let c): return "Alt-" + String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .resize: return "resize"
        case .mouse: return "mouse"
        case .function(let n): return "F\(n)"
        }
    }
}

/// A mouse event in screen coordinates.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// What a terminal backend does: report its size, show frames, deliver keys.
public protocol TerminalBackend: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// Whether the theme may use colour (false with NO_COLOR or on a monochrome terminal).
    var colour: Bool { get }
    /// Whether text may use non-ASCII glyphs (false on a non-UTF-8 locale).
    var unicode: Bool { get }
    /// Shows `frame`, writing only what changed since the last one.
    func draw(_ frame: ScreenBuffer)
    /// The next key, or nil when `timeoutMs` passes first.
    func nextKey(timeoutMs: Int) -> Key?
    /// Hands the terminal back to the shell and stops the process until it is resumed (Ctrl-Z).
    func suspend()
}

extension TerminalBackend {
    public func suspend() {}
}

/// A backend that draws into memory: for screen tests and benchmarks.
public final class TestBackend: TerminalBackend {
    public var size: (width: Int, height: Int)
    public var colour: Bool
    public var unicode: Bool
    public private(set) var frame: ScreenBuffer
    public private(set) var frames = 0
    /// Cells written by the last draw (what a real terminal would have been sent).
    public private(set) var lastChangedRows = 0
    public var queued: [Key] = []

    public init(width: Int, height: Int, colour: Bool = true, unicode: Bool = true) {
        size = (width, height)
        self.colour = colour
        self.unicode = unicode
        frame = ScreenBuffer(width: width, height: height)
    }

    public func draw(_ frame: ScreenBuffer) {
        lastChangedRows = frame.changedRows(since: self.frame).count
        self.frame = frame
        frames += 1
    }

    public func nextKey(timeoutMs: Int) -> Key? { queued.isEmpty ? nil : queued.removeFirst() }
}
