@preconcurrency import CNcursesw
import Foundation
import TerminalUI

/// Why the terminal UI cannot start.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminal(String)
    case incapable(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the browser needs a terminal (stdin and stdout are not both one); try `redline list`, `redline search` or `redline show`"
        case .unknownTerminal(let term):
            return "unknown terminal type \"\(term)\"; set TERM to one your system knows (e.g. xterm-256color)"
        case .incapable(let term):
            return "terminal \"\(term)\" cannot position the cursor; use a full-screen terminal or the command-line verbs"
        }
    }
}

/// The only code that talks to ncurses: a `TerminalBackend` on the real terminal.
public final class CursesBackend: TerminalBackend {
    public private(set) var colour: Bool
    public let unicode: Bool
    private var screen: OpaquePointer?
    private var previous: ScreenBuffer?
    private var pairs: [Role: Int16] = [:]
    /// Bytes are not visible to us through ncurses; count cells written instead.
    public private(set) var cellsWritten = 0

    /// Starts curses on stdin/stdout. Throws, having touched nothing, when that cannot work.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        setlocale(LC_ALL, "")
        let codeset = String(cString: redline_codeset())
        unicode = codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" { throw TerminalError.incapable(term.isEmpty ? "(unset)" : term) }
        guard let screen = newterm(nil, stdout, stdin) else { throw TerminalError.unknownTerminal(term) }
        self.screen = screen
        guard let cup = tigetstr("cup"), Int(bitPattern: cup) != -1 else {
            endwin()
            delscreen(screen)
            self.screen = nil
            throw TerminalError.incapable(term)
        }
        colour = false
        raw()
        noecho()
        keypad(stdscr, true)
        set_escdelay(25)
        curs_set(0)
        mousemask(redline_BUTTON1_PRESSED | redline_BUTTON4_PRESSED | redline_BUTTON5_PRESSED, nil)
        mouseinterval(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if has_colors() && !noColor {
            start_color()
            use_default_colors()
            colour = true
            setupColours()
        }
    }

    deinit { shutdown() }

    /// Restores the terminal. Safe to call more than once.
    public func shutdown() {
        guard screen != nil else { return }
        curs_set(1)
        endwin()
        screen = nil
    }

    public var size: (width: Int, height: Int) { (Int(COLS), Int(LINES)) }

    /// Ctrl-Z: restore the shell's terminal, stop, and take the screen back on resume.
    public func suspend() {
        endwin()
        kill(getpid(), SIGTSTP)
        // Resumed (SIGCONT): redraw everything.
        refresh()
        previous = nil
    }

    private func setupColours() {
        let table: [(Role, Int16, Int16)] = [
            (.border, Int16(COLOR_BLUE), -1), (.borderFocused, Int16(COLOR_CYAN), -1), (.title, Int16(COLOR_CYAN), -1),
            (.selection, Int16(COLOR_YELLOW), -1), (.selectionUnfocused, Int16(COLOR_YELLOW), -1),
            (.heading, Int16(COLOR_CYAN), -1), (.link, Int16(COLOR_BLUE), -1), (.dim, Int16(COLOR_WHITE), -1),
            (.searchMatch, Int16(COLOR_YELLOW), -1), (.searchMatch2, Int16(COLOR_MAGENTA), -1),
            (.searchMatch3, Int16(COLOR_CYAN), -1), (.added, Int16(COLOR_GREEN), -1), (.removed, Int16(COLOR_RED), -1),
            (.status, Int16(COLOR_BLACK), Int16(COLOR_CYAN)), (.statusKey, Int16(COLOR_BLACK), Int16(COLOR_WHITE)),
            (.warning, Int16(COLOR_YELLOW), -1), (.bar, Int16(COLOR_MAGENTA), -1), (.placeholder, Int16(COLOR_WHITE), -1),
            (.tag, Int16(COLOR_MAGENTA), -1), (.heat1, Int16(COLOR_BLUE), -1), (.heat2, Int16(COLOR_CYAN), -1),
            (.heat3, Int16(COLOR_YELLOW), -1), (.heat4, Int16(COLOR_RED), -1),
        ]
        for (n, entry) in table.enumerated() {
            init_pair(Int16(n + 1), entry.1, entry.2)
            pairs[entry.0] = Int16(n + 1)
        }
    }

    /// Attributes for a style: colour pairs when allowed, else bold/underline/reverse carry the role.
    private func attributes(_ style: Style) -> attr_t {
        var a = redline_A_NORMAL
        if style.attributes.contains(.bold) { a |= redline_A_BOLD }
        if style.attributes.contains(.underline) { a |= redline_A_UNDERLINE }
        if style.attributes.contains(.reverse) { a |= redline_A_REVERSE }
        if style.attributes.contains(.italic) { a |= redline_A_ITALIC }
        if colour, let pair = pairs[style.role] {
            a |= redline_color_pair(Int32(pair))
        } else {
            switch style.role {
            case .status, .statusKey, .selection: a |= redline_A_REVERSE
            case .added, .searchMatch, .searchMatch2, .searchMatch3: a |= redline_A_BOLD | redline_A_UNDERLINE
            case .removed: a |= redline_A_UNDERLINE
            case .dim, .placeholder, .border, .tag, .heat1: a |= redline_A_DIM
            case .heat4: a |= redline_A_BOLD
            case .heading, .title, .borderFocused: a |= redline_A_BOLD
            default: break
            }
        }
        return a
    }

    public func draw(_ frame: ScreenBuffer) {
        let rows = frame.changedRows(since: previous)
        if previous?.width != frame.width || previous?.height != frame.height { clear() }
        for y in rows {
            var x = 0
            while x < frame.width {
                let cell = frame[x, y]
                if cell.grapheme.isEmpty { x += 1; continue }
                attrset(Int32(bitPattern: attributes(cell.style)))
                let text = unicode ? TextWidth.cellText(cell.grapheme) : TextWidth.ascii(cell.grapheme)
                mvaddstr(Int32(y), Int32(x), text)
                cellsWritten += 1
                x += 1
            }
        }
        attrset(0)
        if let c = frame.cursor { curs_set(1); move(Int32(c.y), Int32(c.x)) } else { curs_set(0) }
        refresh()
        previous = frame
    }

    public func nextKey(timeoutMs: Int) -> Key? {
        timeout(Int32(timeoutMs))
        var ch: wint_t = 0
        let status = get_wch(&ch)
        if status == ERR { return nil }
        if status == KEY_CODE_YES { return special(Int32(ch)) }
        let value = UInt32(ch)
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27:
            // Alt with a character arrives as Esc and the character at once; Esc alone has
            // nothing after it (ncurses waited ESCDELAY for a sequence already).
            timeout(0)
            var next: wint_t = 0
            let more = get_wch(&next)
            if more == OK, let scalar = UnicodeScalar(UInt32(next)), scalar.value >= 32, scalar.value != 127 {
                return .alt(Character(scalar))
            }
            // Anything else is the next key: back it goes.
            if more == OK { unget_wch(wchar_t(next)) } else if more == KEY_CODE_YES { ungetch(Int32(next)) }
            return .escape
        case 127, 8: return .backspace
        case 1...26: return .ctrl(Character(UnicodeScalar(value + 96) ?? "a"))
        default:
            guard let scalar = UnicodeScalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }

    private func special(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE:
            previous = nil
            return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = UInt(event.bstate)
            let kind: MouseEvent.Kind
            if state & UInt(redline_BUTTON4_PRESSED) != 0 { kind = .wheelUp }
            else if state & UInt(redline_BUTTON5_PRESSED) != 0 { kind = .wheelDown }
            else if state & UInt(redline_BUTTON1_PRESSED) != 0 { kind = .press }
            else { return nil }
            return .mouse(MouseEvent(kind: kind, x: Int(event.x), y: Int(event.y)))
        default:
            return nil
        }
    }
}
