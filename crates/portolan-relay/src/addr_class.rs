//! The address-class table: which destination addresses the relay refuses, and why.
//!
//! `Ipv4Addr::is_global` is unstable, and its meaning has moved over the years, so the relay keeps
//! its own explicit table of ranges. The first matching row decides. IPv6 forms that carry an
//! IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address
//! they carry; IPv4-mapped addresses are connected to as plain IPv4.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is not a destination the relay will connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressClass {
    /// 0.0.0.0/8 and `::`: "this host", never a real destination.
    Unspecified,
    /// 127.0.0.0/8 and `::1`.
    Loopback,
    /// RFC 1918: 10/8, 172.16/12, 192.168/16.
    Private,
    /// RFC 6598 carrier-grade NAT: 100.64/10.
    SharedAddressSpace,
    /// 169.254/16 and fe80::/10.
    LinkLocal,
    /// 255.255.255.255.
    Broadcast,
    /// 224/4 and ff00::/8.
    Multicast,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// 198.18/15 (RFC 2544).
    Benchmarking,
    /// 192.0.0/24 and 2001::/23: IETF protocol assignments (Teredo and ORCHID among them).
    ProtocolAssignment,
    /// 240/4, 192.88.99/24 and every IPv6 address outside 2000::/3 not named elsewhere.
    Reserved,
    /// `::a.b.c.d`, deprecated by RFC 4291 and never a legitimate destination.
    Ipv4Compatible,
    /// fc00::/7, RFC 4193 unique local addresses.
    UniqueLocal,
    /// fec0::/10, deprecated site-local addresses.
    SiteLocal,
    /// 100::/64, the discard-only prefix.
    DiscardOnly,
    /// 64:ff9b:1::/48, the local-use NAT64 prefix (RFC 8215).
    LocalNat64,
}

impl AddressClass {
    /// The short, stable name used in JSON refusals and metrics labels.
    pub fn name(self) -> &'static str {
        match self {
            AddressClass::Unspecified => "unspecified",
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::SharedAddressSpace => "shared_address_space",
            AddressClass::LinkLocal => "link_local",
            AddressClass::Broadcast => "broadcast",
            AddressClass::Multicast => "multicast",
            AddressClass::Documentation => "documentation",
            AddressClass::Benchmarking => "benchmarking",
            AddressClass::ProtocolAssignment => "protocol_assignment",
            AddressClass::Reserved => "reserved",
            AddressClass::Ipv4Compatible => "ipv4_compatible",
            AddressClass::UniqueLocal => "unique_local",
            AddressClass::SiteLocal => "site_local",
            AddressClass::DiscardOnly => "discard_only",
            AddressClass::LocalNat64 => "local_nat64",
        }
    }
}

/// The IPv4 table, first match wins.
const IPV4_TABLE: &[([u8; 4], u8, AddressClass)] = &[
    ([0, 0, 0, 0], 8, AddressClass::Unspecified),
    ([10, 0, 0, 0], 8, AddressClass::Private),
    ([100, 64, 0, 0], 10, AddressClass::SharedAddressSpace),
    ([127, 0, 0, 0], 8, AddressClass::Loopback),
    ([169, 254, 0, 0], 16, AddressClass::LinkLocal),
    ([172, 16, 0, 0], 12, AddressClass::Private),
    ([192, 0, 0, 0], 24, AddressClass::ProtocolAssignment),
    ([192, 0, 2, 0], 24, AddressClass::Documentation),
    ([192, 88, 99, 0], 24, AddressClass::Reserved),
    ([192, 168, 0, 0], 16, AddressClass::Private),
    ([198, 18, 0, 0], 15, AddressClass::Benchmarking),
    ([198, 51, 100, 0], 24, AddressClass::Documentation),
    ([203, 0, 113, 0], 24, AddressClass::Documentation),
    ([224, 0, 0, 0], 4, AddressClass::Multicast),
    ([255, 255, 255, 255], 32, AddressClass::Broadcast),
    ([240, 0, 0, 0], 4, AddressClass::Reserved),
];

/// What an IPv6 row means: refuse outright, or judge an embedded IPv4 address.
#[derive(Clone, Copy)]
enum V6Rule {
    Refuse(AddressClass),
    /// `::ffff:a.b.c.d`: connect to the IPv4 address itself, if it passes.
    Mapped,
    /// NAT64 64:ff9b::/96: the IPv4 address is the last 32 bits.
    Nat64,
    /// 6to4 2002::/16: the IPv4 address is bits 16..48.
    SixToFour,
}

/// The IPv6 table, first match wins. Addresses outside 2000::/3 that match no row are
/// [`AddressClass::Reserved`].
const IPV6_TABLE: &[([u16; 8], u8, V6Rule)] = &[
    (
        [0, 0, 0, 0, 0, 0, 0, 0],
        128,
        V6Rule::Refuse(AddressClass::Unspecified),
    ),
    (
        [0, 0, 0, 0, 0, 0, 0, 1],
        128,
        V6Rule::Refuse(AddressClass::Loopback),
    ),
    ([0, 0, 0, 0, 0, 0xffff, 0, 0], 96, V6Rule::Mapped),
    (
        [0, 0, 0, 0, 0, 0, 0, 0],
        96,
        V6Rule::Refuse(AddressClass::Ipv4Compatible),
    ),
    ([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96, V6Rule::Nat64),
    (
        [0x64, 0xff9b, 1, 0, 0, 0, 0, 0],
        48,
        V6Rule::Refuse(AddressClass::LocalNat64),
    ),
    (
        [0x100, 0, 0, 0, 0, 0, 0, 0],
        64,
        V6Rule::Refuse(AddressClass::DiscardOnly),
    ),
    (
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        V6Rule::Refuse(AddressClass::Documentation),
    ),
    (
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        V6Rule::Refuse(AddressClass::ProtocolAssignment),
    ),
    ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, V6Rule::SixToFour),
    (
        [0x3fff, 0, 0, 0, 0, 0, 0, 0],
        20,
        V6Rule::Refuse(AddressClass::Documentation),
    ),
    (
        [0xfc00, 0, 0, 0, 0, 0, 0, 0],
        7,
        V6Rule::Refuse(AddressClass::UniqueLocal),
    ),
    (
        [0xfe80, 0, 0, 0, 0, 0, 0, 0],
        10,
        V6Rule::Refuse(AddressClass::LinkLocal),
    ),
    (
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        V6Rule::Refuse(AddressClass::SiteLocal),
    ),
    (
        [0xff00, 0, 0, 0, 0, 0, 0, 0],
        8,
        V6Rule::Refuse(AddressClass::Multicast),
    ),
];

fn v4_matches(addr: Ipv4Addr, net: [u8; 4], prefix: u8) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    };
    u32::from(addr) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn v6_matches(addr: Ipv6Addr, net: [u16; 8], prefix: u8) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(prefix))
    };
    u128::from(addr) & mask == u128::from(Ipv6Addr::from(net)) & mask
}

/// Judges an IPv4 address: `Ok` when it is globally routable by the table.
pub fn vet_v4(addr: Ipv4Addr) -> Result<Ipv4Addr, AddressClass> {
    match IPV4_TABLE
        .iter()
        .find(|(net, prefix, _)| v4_matches(addr, *net, *prefix))
    {
        Some((_, _, class)) => Err(*class),
        None => Ok(addr),
    }
}

/// Judges any address. `Ok` carries the address to connect to: an IPv4-mapped IPv6 address
/// comes back as plain IPv4; everything else comes back unchanged.
pub fn vet(addr: IpAddr) -> Result<IpAddr, AddressClass> {
    match addr {
        IpAddr::V4(v4) => vet_v4(v4).map(IpAddr::V4),
        IpAddr::V6(v6) => vet_v6(v6),
    }
}

fn vet_v6(addr: Ipv6Addr) -> Result<IpAddr, AddressClass> {
    let bits = u128::from(addr);
    let rule = IPV6_TABLE
        .iter()
        .find(|(net, prefix, _)| v6_matches(addr, *net, *prefix))
        .map(|(_, _, rule)| *rule);
    match rule {
        Some(V6Rule::Refuse(class)) => Err(class),
        Some(V6Rule::Mapped) => vet_v4(Ipv4Addr::from(bits as u32)).map(IpAddr::V4),
        Some(V6Rule::Nat64) => vet_v4(Ipv4Addr::from(bits as u32)).map(|_| IpAddr::V6(addr)),
        Some(V6Rule::SixToFour) => {
            vet_v4(Ipv4Addr::from((bits >> 80) as u32)).map(|_| IpAddr::V6(addr))
        }
        None if v6_matches(addr, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) => Ok(IpAddr::V6(addr)),
        None => Err(AddressClass::Reserved),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> Result<IpAddr, AddressClass> {
        vet(text.parse().unwrap())
    }

    /// Every row of the tables with its first and last address, and the neighbours just
    /// outside where they are globally routable.
    #[test]
    fn table_edges() {
        use AddressClass::*;
        let refused: &[(&str, AddressClass)] = &[
            ("0.0.0.0", Unspecified),
            ("0.255.255.255", Unspecified),
            ("10.0.0.0", Private),
            ("10.255.255.255", Private),
            ("100.64.0.0", SharedAddressSpace),
            ("100.127.255.255", SharedAddressSpace),
            ("127.0.0.0", Loopback),
            ("127.0.0.1", Loopback),
            ("127.255.255.255", Loopback),
            ("169.254.0.0", LinkLocal),
            ("169.254.169.254", LinkLocal),
            ("169.254.255.255", LinkLocal),
            ("172.16.0.0", Private),
            ("172.31.255.255", Private),
            ("192.0.0.0", ProtocolAssignment),
            ("192.0.0.255", ProtocolAssignment),
            ("192.0.2.0", Documentation),
            ("192.0.2.255", Documentation),
            ("192.88.99.0", Reserved),
            ("192.88.99.255", Reserved),
            ("192.168.0.0", Private),
            ("192.168.255.255", Private),
            ("198.18.0.0", Benchmarking),
            ("198.19.255.255", Benchmarking),
            ("198.51.100.0", Documentation),
            ("198.51.100.255", Documentation),
            ("203.0.113.0", Documentation),
            ("203.0.113.255", Documentation),
            ("224.0.0.0", Multicast),
            ("239.255.255.255", Multicast),
            ("240.0.0.0", Reserved),
            ("255.255.255.254", Reserved),
            ("255.255.255.255", Broadcast),
            ("::", Unspecified),
            ("::1", Loopback),
            ("::2", Ipv4Compatible),
            ("::127.0.0.1", Ipv4Compatible),
            ("::8.8.8.8", Ipv4Compatible),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:10.1.2.3", Private),
            ("::ffff:169.254.169.254", LinkLocal),
            ("::ffff:0.0.0.0", Unspecified),
            ("64:ff9b::10.0.0.1", Private),
            ("64:ff9b::127.0.0.1", Loopback),
            ("64:ff9b::192.168.1.1", Private),
            ("64:ff9b:1::", LocalNat64),
            ("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", LocalNat64),
            ("100::", DiscardOnly),
            ("100::ffff:ffff:ffff:ffff", DiscardOnly),
            ("2001::", ProtocolAssignment),
            ("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", ProtocolAssignment),
            ("2001:db8::", Documentation),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("2002:0a00:0001::", Private),
            ("2002:7f00:0001::1", Loopback),
            ("2002:a9fe:a9fe::", LinkLocal),
            ("3fff::", Documentation),
            ("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("fc00::", UniqueLocal),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", UniqueLocal),
            ("fe80::", LinkLocal),
            ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LinkLocal),
            ("fec0::", SiteLocal),
            ("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", SiteLocal),
            ("ff00::", Multicast),
            ("ff02::1", Multicast),
            ("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("4000::", Reserved),
            ("::ffff:0:0:1", Reserved),
        ];
        for (text, expected) in refused {
            assert_eq!(class(text), Err(*expected), "{text}");
        }
        let allowed: &[(&str, &str)] = &[
            ("1.0.0.0", "1.0.0.0"),
            ("9.255.255.255", "9.255.255.255"),
            ("11.0.0.0", "11.0.0.0"),
            ("100.63.255.255", "100.63.255.255"),
            ("100.128.0.0", "100.128.0.0"),
            ("126.255.255.255", "126.255.255.255"),
            ("128.0.0.0", "128.0.0.0"),
            ("169.253.255.255", "169.253.255.255"),
            ("169.255.0.0", "169.255.0.0"),
            ("172.15.255.255", "172.15.255.255"),
            ("172.32.0.0", "172.32.0.0"),
            ("192.0.1.0", "192.0.1.0"),
            ("192.0.3.0", "192.0.3.0"),
            ("192.88.98.255", "192.88.98.255"),
            ("192.88.100.0", "192.88.100.0"),
            ("192.167.255.255", "192.167.255.255"),
            ("192.169.0.0", "192.169.0.0"),
            ("198.17.255.255", "198.17.255.255"),
            ("198.20.0.0", "198.20.0.0"),
            ("198.51.99.255", "198.51.99.255"),
            ("198.51.101.0", "198.51.101.0"),
            ("203.0.112.255", "203.0.112.255"),
            ("203.0.114.0", "203.0.114.0"),
            ("223.255.255.255", "223.255.255.255"),
            ("::ffff:8.8.8.8", "8.8.8.8"),
            ("::ffff:192.0.3.1", "192.0.3.1"),
            ("64:ff9b::8.8.8.8", "64:ff9b::808:808"),
            ("2002:0808:0808::1", "2002:808:808::1"),
            ("2000::", "2000::"),
            ("2001:200::", "2001:200::"),
            (
                "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
            ),
            ("2001:db9::", "2001:db9::"),
            ("2606:4700::1111", "2606:4700::1111"),
            ("3ffe:ffff::", "3ffe:ffff::"),
            ("3fff:1000::", "3fff:1000::"),
            (
                "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            ),
        ];
        for (text, connect_to) in allowed {
            assert_eq!(class(text), Ok(connect_to.parse().unwrap()), "{text}");
        }
    }

    #[test]
    fn every_class_has_a_distinct_name() {
        let mut names: Vec<&str> = IPV4_TABLE
            .iter()
            .map(|(_, _, class)| class.name())
            .chain(IPV6_TABLE.iter().filter_map(|(_, _, rule)| match rule {
                V6Rule::Refuse(class) => Some(class.name()),
                _ => None,
            }))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 16);
    }
}
