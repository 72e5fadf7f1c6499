import KubeglassCore

/// Something that draws itself into a rectangle of a `Screen`.
/// A widget is a value: it never touches the terminal, never fetches data, never blocks,
/// and never draws outside `area` (nor crashes when `area` is tiny, empty or off screen).
public protocol Widget {
    func render(in area: Rect, on screen: inout Screen)
}
