//! Finding an object's property by name without reading every property: a small
//! open-addressing table of property indices, built the first time it is asked and kept
//! beside the properties ([`PropertyLookup`]).
//!
//! A validator looks up every member of every object it walks; a chat request's top
//! level lists about forty properties, and reading them in order costs a compare (and a
//! cache line) each.

use std::sync::OnceLock;

use crate::Property;

/// The cache behind [`crate::ObjectNode::find`] and
/// [`crate::ObjectNode::required_mask`]. It holds nothing until first asked; a clone starts empty (the clone's properties may be changed before use), and
/// it never takes part in comparisons or serialization.
#[derive(Default)]
pub struct PropertyLookup(OnceLock<Box<Index>>);

/// What the cache holds: the required properties as bits (of the first 64), and a table
/// of indices for objects with more than [`LINEAR`] properties (the properties' hashes
/// in order for the others).
struct Index {
    required: u64,
    /// Without a table: each property's [`key_hash`].
    hashes: Box<[u16]>,
    table: Option<Table>,
}

impl Clone for PropertyLookup {
    fn clone(&self) -> Self {
        PropertyLookup::default()
    }
}

impl PartialEq for PropertyLookup {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for PropertyLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PropertyLookup")
    }
}

/// Objects with this many properties or fewer are searched in order (as fast, no table).
const LINEAR: usize = 6;

/// Objects with more properties than this are searched in order too: a slot holds a
/// 16-bit index.
const MOST: usize = 1 << 15;

/// An open-addressing table indexed by the top bits of [`key_hash`]: each slot holds
/// the hash and the index plus one (0: empty); at least twice as many slots as
/// properties, a power of two.
struct Table {
    shift: u32,
    slots: Box<[(u16, u16)]>,
}

impl PropertyLookup {
    /// The index of the first of `properties` called `key`, whose [`key_hash`] is
    /// `hash`. `properties` must be the same list every time (the table is built from
    /// the first call's).
    #[inline(always)]
    pub(crate) fn find(&self, properties: &[Property], hash: u16, key: &[u8]) -> Option<usize> {
        let index = self.index(properties);
        let Some(table) = index.table.as_ref() else {
            // Few properties: their hashes, in order.
            return index
                .hashes
                .iter()
                .enumerate()
                .filter(|(_, h)| **h == hash)
                .map(|(n, _)| n)
                .find(|&n| same(&properties[n].name, key));
        };
        let mask = table.slots.len() - 1;
        let mut at = usize::from(hash) >> table.shift;
        loop {
            let (h, slot) = table.slots[at];
            if slot == 0 {
                return None;
            }
            let index = usize::from(slot) - 1;
            if h == hash && same(&properties[index].name, key) {
                return Some(index);
            }
            at = (at + 1) & mask;
        }
    }

    /// Bit `n` set for each required property `n` below 64.
    #[inline]
    pub(crate) fn required(&self, properties: &[Property]) -> u64 {
        self.index(properties).required
    }

    #[inline(always)]
    fn index(&self, properties: &[Property]) -> &Index {
        self.0.get_or_init(|| {
            Box::new(Index {
                required: properties
                    .iter()
                    .take(64)
                    .enumerate()
                    .filter(|(_, p)| p.required)
                    .fold(0, |bits, (n, _)| bits | 1 << n),
                hashes: if properties.len() <= LINEAR || properties.len() > MOST {
                    properties
                        .iter()
                        .map(|p| key_hash(p.name.as_bytes()))
                        .collect()
                } else {
                    Box::default()
                },
                table: (LINEAR < properties.len() && properties.len() <= MOST)
                    .then(|| Table::new(properties.iter().map(|p| p.name.as_str()))),
            })
        })
    }
}

impl Table {
    fn new<'n>(names: impl ExactSizeIterator<Item = &'n str>) -> Table {
        let size = (names.len() * 2).next_power_of_two().max(8);
        let shift = 16 - size.trailing_zeros();
        let mut slots = vec![(0u16, 0u16); size].into_boxed_slice();
        let all: Vec<&str> = names.collect();
        for (index, name) in all.iter().enumerate() {
            // Only the first of a name given twice is ever found (as a search in order).
            if all[..index].contains(name) {
                continue;
            }
            let hash = key_hash(name.as_bytes());
            let mut at = usize::from(hash) >> shift;
            while slots[at].1 != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = (hash, index as u16 + 1);
        }
        Table { shift, slots }
    }
}

/// Key equality, cheapest test first (names mostly differ in length or first letter).
#[inline]
fn same(name: &str, key: &[u8]) -> bool {
    name.len() == key.len() && same_bytes(name.as_bytes(), key)
}

/// Byte equality, compared in line for short slices (keys, tags: most are shorter than
/// 16 bytes) rather than through a call to `memcmp`.
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() > 16 {
        return a == b;
    }
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// A 16-bit hash of a key, from its length and up to sixteen of its bytes (its first
/// and last eight), mixed by one multiplication. The tape reader computes it once per
/// key it reads; the tables here are indexed by its top bits.
#[inline(always)]
pub fn key_hash(k: &[u8]) -> u16 {
    let n = k.len();
    let (head, tail) = if n >= 8 {
        (word8(k, 0), word8(k, n - 8))
    } else if n >= 4 {
        (u64::from(word4(k, 0)), u64::from(word4(k, n - 4)))
    } else if n > 0 {
        let b = |i: usize| u64::from(k[i]);
        (b(0) | b(n / 2) << 8 | b(n - 1) << 16, 0)
    } else {
        (0, 0)
    };
    let mixed =
        (head ^ tail.rotate_left(29) ^ ((n as u64) << 58)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 48) as u16
}

/// The eight bytes of `k` at `at` (which has at least eight from there) as one word.
#[inline]
fn word8(k: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&k[at..at + 8]);
    u64::from_le_bytes(w)
}

/// The four bytes of `k` at `at`.
#[inline]
fn word4(k: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&k[at..at + 4]);
    u32::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Node;

    fn properties<S: AsRef<str>>(names: &[S]) -> Vec<Property> {
        names
            .iter()
            .map(|n| Property {
                name: n.as_ref().to_string(),
                node: Node::Any,
                required: false,
                basis: Default::default(),
                deprecated: false,
                description: None,
                default: None,
                source: None,
            })
            .collect()
    }

    #[test]
    fn every_name_is_found_at_its_first_index_and_nothing_else_is() {
        let names: Vec<String> = (0..200)
            .map(|i| match i % 4 {
                0 => format!("p{i}"),
                1 => format!("max_tokens_{i}"),
                2 => format!("a_rather_long_parameter_name_{i}"),
                _ => "dup".repeat(i % 7 + 1),
            })
            .collect();
        for len in [0, 1, 5, 6, 7, 40, 200] {
            let list = &names[..len];
            let props = properties(list);
            let lookup = PropertyLookup::default();
            for (i, name) in list.iter().enumerate() {
                let first = list.iter().position(|n| n == name).unwrap();
                assert_eq!(
                    lookup.find(&props, key_hash(name.as_bytes()), name.as_bytes()),
                    Some(first),
                    "{name} of {len}"
                );
                assert!(first <= i);
            }
            for absent in ["", "p", "max_tokens", "zzzzzzzzzzzzzzzzzzzzzz", "p1x"] {
                assert_eq!(
                    lookup.find(&props, key_hash(absent.as_bytes()), absent.as_bytes()),
                    None,
                    "{absent} of {len}"
                );
            }
        }
    }

    #[test]
    fn a_clone_starts_empty_and_equals_anything() {
        let names = properties(&["a", "b", "c", "d", "e", "f", "g", "h"]);
        let lookup = PropertyLookup::default();
        assert_eq!(lookup.find(&names, key_hash(b"h"), b"h"), Some(7));
        let copy = lookup.clone();
        assert!(copy.0.get().is_none());
        let mut required = properties(&["a", "b", "c"]);
        required[0].required = true;
        required[2].required = true;
        assert_eq!(PropertyLookup::default().required(&required), 0b101);
        // Built from the clone's own (changed) names.
        let changed = properties(&["h", "a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(copy.find(&changed, key_hash(b"h"), b"h"), Some(0));
        assert_eq!(copy, lookup);
    }
}
