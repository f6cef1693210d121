//! The likely mail client, guessed from the browser's user agent, to pre-select in the list.
//! Only a default: the user always chooses.

/// The catalogue id of the likely client for a user agent string.
pub fn likely_client(user_agent: &str) -> Option<&'static str> {
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("iphone") || ua.contains("ipad") {
        Some("ios-mail")
    } else if ua.contains("android") {
        Some("thunderbird-android")
    } else if ua.contains("macintosh") || ua.contains("mac os x") {
        Some("apple-mail")
    } else if ua.contains("windows") || ua.contains("linux") || ua.contains("x11") {
        Some("thunderbird")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_user_agents_to_catalogue_ids() {
        let cases = [
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
                Some("ios-mail"),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8)",
                Some("thunderbird-android"),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)",
                Some("apple-mail"),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                Some("thunderbird"),
            ),
            ("curl/8.0", None),
        ];
        for (ua, expected) in cases {
            assert_eq!(likely_client(ua), expected, "{ua}");
            if let Some(id) = expected {
                assert!(
                    portolan_core::clients::by_id(id).is_some(),
                    "{id} is in the catalogue"
                );
            }
        }
    }
}
