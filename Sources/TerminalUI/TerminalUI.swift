/// Cells, screen buffer, layout and keys; knows nothing of ncurses.
public enum TerminalUI {}
