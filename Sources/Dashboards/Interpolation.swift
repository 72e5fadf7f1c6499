import Query

extension Dashboard {
    /// The dashboard as a person reads it: `$node` in titles and text replaced by the chosen values.
    public func expandingTitles(_ values: VariableValues) -> Dashboard {
        guard !variables.isEmpty else { return self }
        var out = self
        out.title = values.expand(title, format: .text)
        for i in out.panels.indices {
            out.panels[i].title = values.expand(out.panels[i].title, format: .text)
            if let t = out.panels[i].text { out.panels[i].text = values.expand(t, format: .text) }
        }
        return out
    }
}

extension Panel {
    /// An events panel with `$namespace` in its filter replaced by the chosen value(s).
    public func expandingFilter(_ values: VariableValues) -> Panel {
        var out = self
        if let t = text { out.text = values.expand(t, format: .text) }
        for i in out.targets.indices { out.targets[i].expr = values.expand(out.targets[i].expr, format: .text) }
        return out
    }
}
