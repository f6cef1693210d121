//! The QR code on the result: the link that opens the same result on a phone
//! (`portolan_core::link::result_link`), drawn here as SVG so the page only places it.

use qrcode::render::svg;
use qrcode::QrCode;

/// The smallest side of the drawn code, in CSS pixels; large enough for any phone camera at
/// arm's length.
const SIDE_PX: u32 = 176;

/// `text` as an SVG element (black on white, with the quiet zone), or `None` when it is too
/// long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let drawn = code
        .render::<svg::Color>()
        .min_dimensions(SIDE_PX, SIDE_PX)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // The renderer writes a whole document; the page needs the element only.
    Some(match drawn.split_once("?>") {
        Some((_, element)) => element.trim_start().to_owned(),
        None => drawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_one_svg_element() {
        let svg =
            qr_svg("https://help.example.com/portolan/?email=ann%40example.com").expect("fits");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(
            !svg.contains("<script") && !svg.contains("style="),
            "nothing the CSP refuses"
        );
        assert!(
            qr_svg(&"x".repeat(8000)).is_none(),
            "too long for any QR version"
        );
    }
}
