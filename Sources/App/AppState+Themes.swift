import DashboardUI
import TerminalUI

/// The `T` picker: the built-in themes and the user's own (read off the loop, AppState+Loading.swift).
extension AppState {
    /// The themes to choose from, the current one checked.
    func themePicker() -> Picker {
        let names = Theme.availableNames(environment: themeEnvironment)
        return Picker(
            purpose: .themes, title: "Theme", items: names, checked: [theme.name],
            selected: names.firstIndex(of: theme.name) ?? 0)
    }
}
