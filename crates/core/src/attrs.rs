//! Annotation attributes: a small JSON value type whose objects are sorted vectors and whose
//! keys and strings may be borrowed from the program's constants.
//!
//! Annotations are the bulk of Slant's work: a full run over news builds dozens of them per
//! article, most with a handful of attributes and some with lists of small evidence objects.
//! Held as `serde_json::Map`s, every object was a B-tree node plus one heap string per key,
//! built, cloned, written and freed again for each annotation; that bookkeeping (allocation,
//! node walks, drops) was about a sixth of a full run (callgrind, issue 9). Here an object is
//! one vector of entries kept sorted by key (so it serializes in exactly the order a
//! `serde_json::Map` does), and keys and string values that are constants (`"kind"`,
//! `"country"`, `"lexicon"`) are borrowed rather than copied.
//!
//! The type converts both ways with `serde_json::Value` (for the edges and for code where
//! speed does not matter) and serializes to, and parses from, the same JSON.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// An object key or a string value: borrowed when it is a constant of the program, owned
/// otherwise.
pub type Str = Cow<'static, str>;

/// One attribute value: the JSON data model, with integers kept apart from floats so that
/// they print as `serde_json` prints them (`3`, `3.0`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AttrValue {
    #[default]
    Null,
    Bool(bool),
    /// A non-negative integer (`From<i64>` stores non-negative values here too, as
    /// `serde_json` does, so that equal numbers compare equal).
    UInt(u64),
    /// A negative integer.
    Int(i64),
    /// A finite float (non-finite floats become `Null`, as in `serde_json`).
    Float(f64),
    Str(Str),
    List(Vec<AttrValue>),
    Map(Attrs),
}

/// An annotation's attributes (`attrs` in the output record): entries sorted by key, each key
/// once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attrs {
    entries: Vec<(Str, AttrValue)>,
}

/// What `attrs["missing"]` gives, as `serde_json` does.
static NULL: AttrValue = AttrValue::Null;

impl AttrValue {
    /// A string value copied from a borrowed one (a constant is better passed as
    /// `AttrValue::from("…")`, which borrows it).
    pub fn text(s: &str) -> AttrValue {
        AttrValue::Str(Cow::Owned(s.to_owned()))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, AttrValue::Null)
    }

    pub fn is_string(&self) -> bool {
        matches!(self, AttrValue::Str(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, AttrValue::UInt(_) | AttrValue::Int(_) | AttrValue::Float(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, AttrValue::List(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, AttrValue::Map(_))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Any number as a float, as `serde_json::Value::as_f64` gives it.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            AttrValue::UInt(u) => Some(u as f64),
            AttrValue::Int(i) => Some(i as f64),
            AttrValue::Float(x) => Some(x),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            AttrValue::UInt(u) => Some(u),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            AttrValue::UInt(u) => i64::try_from(u).ok(),
            AttrValue::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            AttrValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<AttrValue>> {
        match self {
            AttrValue::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Attrs> {
        match self {
            AttrValue::Map(map) => Some(map),
            _ => None,
        }
    }

    /// An object's field (`None` for a missing key or a value that is not an object).
    pub fn get(&self, key: &str) -> Option<&AttrValue> {
        self.as_object()?.get(key)
    }
}

impl Attrs {
    pub const fn new() -> Attrs {
        Attrs { entries: Vec::new() }
    }

    pub fn with_capacity(n: usize) -> Attrs {
        Attrs { entries: Vec::with_capacity(n) }
    }

    /// The attributes from entries in any order; for a key given twice the later value wins,
    /// as with repeated [`Attrs::insert`].
    pub fn from_entries(entries: impl IntoIterator<Item = (Str, AttrValue)>) -> Attrs {
        let entries = entries.into_iter();
        let mut attrs = Attrs::with_capacity(entries.size_hint().0);
        for (k, v) in entries {
            attrs.insert(k, v);
        }
        attrs
    }

    /// The attributes from entries whose keys [`attrs!`] has checked to be ascending.
    #[doc(hidden)]
    pub fn from_ascending(entries: Vec<(Str, AttrValue)>) -> Attrs {
        debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0), "keys in ascending order");
        Attrs { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        // Objects hold a handful of entries: a linear scan beats a binary search's branches,
        // and it stops at the first key not less than `key`.
        match self.entries.iter().position(|(k, _)| k.as_ref() >= key) {
            Some(i) if self.entries[i].0 == key => Ok(i),
            Some(i) => Err(i),
            None => Err(self.entries.len()),
        }
    }

    /// Sets `key` to `value`, returning the value it replaces. Keys given in sorted order (the
    /// usual way attributes are built) are appended without a search.
    pub fn insert(&mut self, key: impl Into<Str>, value: impl Into<AttrValue>) -> Option<AttrValue> {
        let (key, value) = (key.into(), value.into());
        if self.entries.last().is_none_or(|(last, _)| *last < key) {
            self.entries.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&AttrValue> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut AttrValue> {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    pub fn remove(&mut self, key: &str) -> Option<AttrValue> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The entries in key order (the order they are written in).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &AttrValue)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &AttrValue> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl std::ops::Index<&str> for Attrs {
    type Output = AttrValue;

    fn index(&self, key: &str) -> &AttrValue {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<&str> for AttrValue {
    type Output = AttrValue;

    fn index(&self, key: &str) -> &AttrValue {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<usize> for AttrValue {
    type Output = AttrValue;

    /// A list's item (null when this is not a list or the list is shorter), as `serde_json`.
    fn index(&self, i: usize) -> &AttrValue {
        self.as_array().and_then(|items| items.get(i)).unwrap_or(&NULL)
    }
}

impl<K: Into<Str>, V: Into<AttrValue>> FromIterator<(K, V)> for Attrs {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Attrs {
        Attrs::from_entries(iter.into_iter().map(|(k, v)| (k.into(), v.into())))
    }
}

impl<K: Into<Str>, V: Into<AttrValue>, const N: usize> From<[(K, V); N]> for Attrs {
    fn from(entries: [(K, V); N]) -> Attrs {
        entries.into_iter().collect()
    }
}

impl IntoIterator for Attrs {
    type Item = (Str, AttrValue);
    type IntoIter = std::vec::IntoIter<(Str, AttrValue)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Builds [`Attrs`] with `serde_json::json!`'s object syntax, constant keys borrowed:
/// `attrs! { "count": 3, "kind": "country" }`. Values are anything `Into<AttrValue>`; a
/// nested object is another `attrs!`.
///
/// The keys must be given in ascending order, each once (the order they are written in); the
/// compiler checks it, so the entries are stored as given, with no comparison at run time.
///
/// ```
/// let a = slant_core::attrs! { "id": "rus", "kind": "country" };
/// assert_eq!(a.keys().collect::<Vec<_>>(), ["id", "kind"]);
/// ```
///
/// ```compile_fail
/// let a = slant_core::attrs! { "kind": "country", "id": "rus" };
/// ```
#[macro_export]
macro_rules! attrs {
    () => { $crate::Attrs::new() };
    ($($key:literal : $value:expr),+ $(,)?) => {{
        const { assert!($crate::attrs::keys_ascending(&[$($key),+]), "attrs! keys must be in ascending order, each once") };
        $crate::Attrs::from_ascending(vec![
            $(($crate::attrs::Str::Borrowed($key), $crate::AttrValue::from($value))),+
        ])
    }};
}

/// Whether `keys` are strictly ascending (byte order, as `str`'s `Ord`): checked at compile
/// time by [`attrs!`].
#[doc(hidden)]
pub const fn keys_ascending(keys: &[&str]) -> bool {
    let mut i = 1;
    while i < keys.len() {
        if !str_less(keys[i - 1], keys[i]) {
            return false;
        }
        i += 1;
    }
    true
}

const fn str_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

impl From<bool> for AttrValue {
    fn from(b: bool) -> Self {
        AttrValue::Bool(b)
    }
}

impl From<f64> for AttrValue {
    fn from(x: f64) -> Self {
        if x.is_finite() {
            AttrValue::Float(x)
        } else {
            AttrValue::Null
        }
    }
}

impl From<f32> for AttrValue {
    fn from(x: f32) -> Self {
        AttrValue::from(f64::from(x))
    }
}

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for AttrValue {
            fn from(n: $t) -> Self {
                AttrValue::UInt(n as u64)
            }
        }
    )*};
}
from_unsigned!(u8, u16, u32, u64, usize);

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for AttrValue {
            fn from(n: $t) -> Self {
                if n >= 0 { AttrValue::UInt(n as u64) } else { AttrValue::Int(n as i64) }
            }
        }
    )*};
}
from_signed!(i8, i16, i32, i64, isize);

impl From<&'static str> for AttrValue {
    fn from(s: &'static str) -> Self {
        AttrValue::Str(Cow::Borrowed(s))
    }
}

impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue::Str(Cow::Owned(s))
    }
}

impl From<Str> for AttrValue {
    fn from(s: Str) -> Self {
        AttrValue::Str(s)
    }
}

impl From<Attrs> for AttrValue {
    fn from(map: Attrs) -> Self {
        AttrValue::Map(map)
    }
}

impl<T: Into<AttrValue>> From<Vec<T>> for AttrValue {
    fn from(items: Vec<T>) -> Self {
        AttrValue::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<AttrValue>> From<Option<T>> for AttrValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(AttrValue::Null, Into::into)
    }
}

impl From<serde_json::Value> for AttrValue {
    fn from(v: serde_json::Value) -> Self {
        use serde_json::Value;
        match v {
            Value::Null => AttrValue::Null,
            Value::Bool(b) => AttrValue::Bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => AttrValue::UInt(u),
                (None, Some(i), _) => AttrValue::Int(i),
                (None, None, x) => x.map_or(AttrValue::Null, AttrValue::from),
            },
            Value::String(s) => AttrValue::Str(Cow::Owned(s)),
            Value::Array(items) => AttrValue::List(items.into_iter().map(AttrValue::from).collect()),
            Value::Object(map) => AttrValue::Map(map.into_iter().collect()),
        }
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for Attrs {
    fn from(map: serde_json::Map<String, serde_json::Value>) -> Self {
        map.into_iter().collect()
    }
}

impl From<AttrValue> for serde_json::Value {
    fn from(v: AttrValue) -> Self {
        use serde_json::Value;
        match v {
            AttrValue::Null => Value::Null,
            AttrValue::Bool(b) => Value::Bool(b),
            AttrValue::UInt(u) => Value::from(u),
            AttrValue::Int(i) => Value::from(i),
            AttrValue::Float(x) => Value::from(x),
            AttrValue::Str(s) => Value::String(s.into_owned()),
            AttrValue::List(items) => Value::Array(items.into_iter().map(Value::from).collect()),
            AttrValue::Map(map) => Value::Object(map.into()),
        }
    }
}

impl From<Attrs> for serde_json::Map<String, serde_json::Value> {
    fn from(map: Attrs) -> Self {
        map.entries.into_iter().map(|(k, v)| (k.into_owned(), serde_json::Value::from(v))).collect()
    }
}

/// Comparison with a `serde_json::Value`: equal when they print the same JSON.
impl PartialEq<serde_json::Value> for AttrValue {
    fn eq(&self, other: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, other) {
            (AttrValue::Null, Value::Null) => true,
            (AttrValue::Bool(a), Value::Bool(b)) => a == b,
            (AttrValue::UInt(a), Value::Number(b)) => b.as_u64() == Some(*a),
            (AttrValue::Int(a), Value::Number(b)) => b.as_i64() == Some(*a) && b.as_u64().is_none(),
            (AttrValue::Float(a), Value::Number(b)) => b.is_f64() && b.as_f64() == Some(*a),
            (AttrValue::Str(a), Value::String(b)) => a == b,
            (AttrValue::List(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y),
            (AttrValue::Map(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && va == vb)
            }
            _ => false,
        }
    }
}

macro_rules! eq_number {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for AttrValue {
            fn eq(&self, other: &$t) -> bool {
                let other = AttrValue::from(*other);
                *self == other
            }
        }
    )*};
}
eq_number!(i32, i64, u32, u64, usize, f64, bool);

impl PartialEq<str> for AttrValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for AttrValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl fmt::Display for AttrValue {
    /// Compact JSON, as `serde_json::Value` displays.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_string(self) {
            Ok(s) => f.write_str(&s),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::Null => serializer.serialize_unit(),
            AttrValue::Bool(b) => serializer.serialize_bool(*b),
            AttrValue::UInt(u) => serializer.serialize_u64(*u),
            AttrValue::Int(i) => serializer.serialize_i64(*i),
            AttrValue::Float(x) => serializer.serialize_f64(*x),
            AttrValue::Str(s) => serializer.serialize_str(s),
            AttrValue::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            AttrValue::Map(map) => map.serialize(serializer),
        }
    }
}

impl Serialize for Attrs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

/// Parses any JSON value, as `serde_json::Value` does.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = AttrValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<AttrValue, E> {
        Ok(AttrValue::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<AttrValue, E> {
        Ok(AttrValue::from(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<AttrValue, E> {
        Ok(AttrValue::UInt(u))
    }

    fn visit_f64<E>(self, x: f64) -> Result<AttrValue, E> {
        Ok(AttrValue::from(x))
    }

    fn visit_str<E>(self, s: &str) -> Result<AttrValue, E> {
        Ok(AttrValue::text(s))
    }

    fn visit_string<E>(self, s: String) -> Result<AttrValue, E> {
        Ok(AttrValue::from(s))
    }

    fn visit_unit<E>(self) -> Result<AttrValue, E> {
        Ok(AttrValue::Null)
    }

    fn visit_none<E>(self) -> Result<AttrValue, E> {
        Ok(AttrValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<AttrValue, D::Error> {
        AttrValue::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AttrValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(AttrValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttrValue, A::Error> {
        let mut attrs = Attrs::new();
        while let Some((k, v)) = map.next_entry::<String, AttrValue>()? {
            attrs.insert(k, v);
        }
        Ok(AttrValue::Map(attrs))
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<AttrValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

impl<'de> Deserialize<'de> for Attrs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Attrs, D::Error> {
        match AttrValue::deserialize(d)? {
            AttrValue::Map(map) => Ok(map),
            other => Err(serde::de::Error::custom(format!("attrs must be a JSON object, not {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A value exercising every kind, nested, with keys given out of order.
    fn sample() -> serde_json::Value {
        json!({
            "zeta": [1, -2, 3.5, 2.0, null, true, "x\"y\n"],
            "alpha": {"b": {"c": []}, "a": {}},
            "mid": -0.0,
            "big": u64::MAX,
            "neg": i64::MIN,
            "tiny": 1e-7,
        })
    }

    #[test]
    fn serializes_as_serde_json_does() {
        let ours = AttrValue::from(sample());
        assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&sample()).unwrap());
        assert_eq!(serde_json::to_string_pretty(&ours).unwrap(), serde_json::to_string_pretty(&sample()).unwrap());
    }

    #[test]
    fn round_trips_through_json_text_and_serde_json() {
        let text = serde_json::to_string(&sample()).unwrap();
        let parsed: AttrValue = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, AttrValue::from(sample()));
        assert_eq!(parsed, sample());
        assert_ne!(AttrValue::from(json!({"a": [1, 2.5]})), json!({"a": [1, 2]}));
        assert_ne!(AttrValue::from(json!({"a": 1})), json!({"b": 1}));
        assert_eq!(serde_json::Value::from(parsed), sample());
    }

    #[test]
    fn keys_stay_sorted_and_unique_whatever_the_insertion_order() {
        let mut a = Attrs::new();
        for (i, k) in ["m", "b", "z", "a", "m", "c"].into_iter().enumerate() {
            a.insert(k, i);
        }
        assert_eq!(a.keys().collect::<Vec<_>>(), ["a", "b", "c", "m", "z"]);
        assert_eq!(a["m"], AttrValue::UInt(4), "the later value wins");
        assert_eq!(a.remove("b"), Some(AttrValue::UInt(1)));
        assert!(!a.contains_key("b") && a["b"].is_null());
        let macro_built = attrs! { "a": 3, "c": 5, "m": 4, "z": 2 };
        assert_eq!(macro_built, a);
        assert!(keys_ascending(&["", "a", "ab", "b", "ba"]));
        assert!(!keys_ascending(&["a", "a"]) && !keys_ascending(&["b", "a"]) && !keys_ascending(&["ab", "a"]));
    }

    #[test]
    fn numbers_keep_serde_json_kinds() {
        assert_eq!(AttrValue::from(3i64), AttrValue::UInt(3));
        assert_eq!(AttrValue::from(-3i32), AttrValue::Int(-3));
        assert_eq!(AttrValue::from(f64::NAN), AttrValue::Null);
        assert_eq!(serde_json::to_string(&AttrValue::from(2.0)).unwrap(), "2.0");
        assert_eq!(
            serde_json::to_string(&AttrValue::from(0.1f32)).unwrap(),
            serde_json::to_string(&json!(0.1f32)).unwrap()
        );
    }

    #[test]
    fn attrs_must_be_an_object() {
        let err = serde_json::from_str::<Attrs>("[1]").unwrap_err().to_string();
        assert!(err.contains("attrs must be a JSON object"), "{err}");
    }
}
