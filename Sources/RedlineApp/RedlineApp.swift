import PolicyCore
import TerminalUI
