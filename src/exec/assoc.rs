//! bash's generic hash table (`hashlib.c`), so that what bash lists in
//! its table's order lists the same here: associative arrays (`declare
//! -A`: `${!a[@]}`, `"${a[@]}"`, `declare -p`) and, through
//! [`HashTable`], the specifications `complete -p` prints.
//!
//! A table starts with a power of two of buckets (1024 for an associative
//! array), the key's bytes hashed with FNV-1 (each byte a signed `char`),
//! a new entry put at the head of its bucket's chain, and when an insert
//! finds as many entries as twice the buckets, the table grows fourfold,
//! moving each old chain's entries, head first, to the head of their new
//! chains. Listing walks the buckets in order, each chain from its head.
//! An overwrite keeps the entry where it is; an unset takes it out of its
//! chain. This table does the same, so its order is bash's: an unset and
//! re-inserted key comes back where the hash puts it, not last.
//!
//! Lookup, insert and remove cost a hash and a walk of one chain, which
//! the growth rule keeps at two entries on average. Each chain is a `Vec`
//! with its head at the end, so putting an entry at the head is a push.

/// The buckets a new associative array starts with (bash's
/// `ASSOC_HASH_BUCKETS`).
const ASSOC_BUCKETS: usize = 1024;
/// The table grows when its entries reach this many per bucket.
const GROW_AT_LOAD: usize = 2;
/// ...by this factor.
const GROWTH: usize = 4;

/// The most buckets [`AssocArray::from_layout`] accepts.
const MAX_LAYOUT_BUCKETS: usize = 1 << 24;

/// One key and its value, with the key's hash kept for regrowing.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry<V> {
    hash: u32,
    key: String,
    value: V,
}

/// A table of values by name in bash's iteration order; `INITIAL` is
/// the number of buckets it starts with (a power of two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashTable<V, const INITIAL: usize> {
    /// Empty until the first insert (an empty table costs nothing);
    /// otherwise a power of two of chains, each stored tail first.
    buckets: Vec<Vec<Entry<V>>>,
    len: usize,
}

impl<V, const INITIAL: usize> Default for HashTable<V, INITIAL> {
    fn default() -> Self {
        HashTable {
            buckets: Vec::new(),
            len: 0,
        }
    }
}

/// An associative array in bash's iteration order.
pub type AssocArray = HashTable<String, ASSOC_BUCKETS>;

/// bash's `hash_string`: FNV-1 over the bytes, each sign-extended as a C
/// `char` is on x86.
fn hash(key: &str) -> u32 {
    key.bytes().fold(2_166_136_261u32, |h, byte| {
        h.wrapping_mul(16_777_619) ^ (byte as i8 as i32 as u32)
    })
}

impl<V: Clone, const INITIAL: usize> HashTable<V, INITIAL> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn bucket_of(&self, hash: u32) -> usize {
        hash as usize & (self.buckets.len() - 1)
    }

    fn find(&self, key: &str) -> Option<(usize, usize)> {
        if self.buckets.is_empty() {
            return None;
        }
        let bucket = self.bucket_of(hash(key));
        let pos = self.buckets[bucket].iter().position(|e| e.key == key)?;
        Some((bucket, pos))
    }

    /// The value of `key`.
    pub fn value(&self, key: &str) -> Option<&V> {
        let (bucket, pos) = self.find(key)?;
        Some(&self.buckets[bucket][pos].value)
    }

    /// The value of `key`, to change in place.
    pub fn value_mut(&mut self, key: &str) -> Option<&mut V> {
        let (bucket, pos) = self.find(key)?;
        Some(&mut self.buckets[bucket][pos].value)
    }

    /// Sets `key` to `value`: an existing key keeps its place, a new one
    /// goes where bash's table would put it.
    pub fn insert(&mut self, key: String, value: V) {
        if let Some((bucket, pos)) = self.find(&key) {
            self.buckets[bucket][pos].value = value;
            return;
        }
        if self.buckets.is_empty() {
            self.buckets = vec![Vec::new(); INITIAL];
        } else if self.len >= self.buckets.len() * GROW_AT_LOAD {
            self.grow();
        }
        let hash = hash(&key);
        let bucket = self.bucket_of(hash);
        self.buckets[bucket].push(Entry { hash, key, value });
        self.len += 1;
    }

    /// bash's `hash_rehash`: old chains in bucket order, each from its
    /// head, every entry pushed onto the head of its new chain.
    fn grow(&mut self) {
        let size = self.buckets.len() * GROWTH;
        let old = std::mem::replace(&mut self.buckets, vec![Vec::new(); size]);
        for entry in old.into_iter().flat_map(|chain| chain.into_iter().rev()) {
            let bucket = self.bucket_of(entry.hash);
            self.buckets[bucket].push(entry);
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let (bucket, pos) = self.find(key)?;
        self.len -= 1;
        Some(self.buckets[bucket].remove(pos).value)
    }

    /// The keys and values, in bash's order.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = (&str, &V)> {
        self.buckets
            .iter()
            .flat_map(|chain| chain.iter().rev())
            .map(|e| (e.key.as_str(), &e.value))
    }

    /// The number of buckets, for [`HashTable::from_layout`].
    pub fn bucket_count(&self) -> usize {
        self.buckets.len()
    }

    /// The table [`AssocArray::layout`] listed, with `buckets` buckets (a
    /// copy handed to another process iterates as the original did).
    /// Keys met twice keep the later value.
    pub fn from_layout(buckets: usize, entries: impl IntoIterator<Item = (String, V)>) -> Self {
        let mut table = Self::new();
        // A count no table of this size could have grown to is ignored.
        if buckets.is_power_of_two() && (INITIAL..=MAX_LAYOUT_BUCKETS).contains(&buckets) {
            table.buckets = vec![Vec::new(); buckets];
        }
        for (key, value) in entries {
            match table.find(&key) {
                Some(_) => table.insert(key, value),
                None if table.buckets.is_empty() => table.insert(key, value),
                None => {
                    let hash = hash(&key);
                    let bucket = table.bucket_of(hash);
                    table.buckets[bucket].push(Entry { hash, key, value });
                    table.len += 1;
                }
            }
        }
        table
    }
}

impl AssocArray {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.value(key).map(String::as_str)
    }

    /// The value of `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut String> {
        self.value_mut(key)
    }

    /// The keys and values, in bash's order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> {
        self.entries().map(|(k, v)| (k, v.as_str()))
    }

    /// The entries in the order that rebuilds this exact table through
    /// [`HashTable::from_layout`] (each chain from its tail).
    pub fn layout(&self) -> impl Iterator<Item = (&str, &str)> {
        self.buckets
            .iter()
            .flatten()
            .map(|e| (e.key.as_str(), e.value.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for AssocArray {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> AssocArray {
        let mut table = AssocArray::new();
        for (key, value) in iter {
            table.insert(key.into(), value.into());
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(table: &AssocArray) -> Vec<&str> {
        table.iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn iterates_in_bash_order() {
        // bash 5.2: declare -A a; a[x]=1; a[b]=2; a[zz]=3; a[a]=4; echo "${!a[@]}"
        let table: AssocArray = [("x", "1"), ("b", "2"), ("zz", "3"), ("a", "4")]
            .into_iter()
            .collect();
        assert_eq!(keys(&table), ["x", "b", "a", "zz"]);
        // declare -A c=([one]=1 [two]=2 [three]=3 [four]=4)
        let table: AssocArray = [("one", "1"), ("two", "2"), ("three", "3"), ("four", "4")]
            .into_iter()
            .collect();
        assert_eq!(keys(&table), ["four", "two", "three", "one"]);
    }

    #[test]
    fn bytes_hash_as_signed_chars() {
        // bash: declare -A a=([é]=1 [e]=2 [ü]=3 [a]=1); echo "${!a[@]}"
        let table: AssocArray = [("é", "1"), ("e", "2"), ("ü", "3"), ("a", "1")]
            .into_iter()
            .collect();
        assert_eq!(keys(&table), ["e", "a", "ü", "é"]);
        assert_eq!(hash("é"), 0x1676_9ffd);
    }

    #[test]
    fn overwrite_keeps_place_and_unset_reinsert_follows_the_hash() {
        let mut table: AssocArray = [("x", "1"), ("b", "2"), ("zz", "3"), ("a", "4")]
            .into_iter()
            .collect();
        table.insert("x".into(), "new".into());
        assert_eq!(keys(&table), ["x", "b", "a", "zz"]);
        assert_eq!(table.remove("b").as_deref(), Some("2"));
        assert_eq!(keys(&table), ["x", "a", "zz"]);
        table.insert("b".into(), "5".into());
        assert_eq!(keys(&table), ["x", "b", "a", "zz"]);
        assert_eq!(table.get("x"), Some("new"));
        assert_eq!(table.len(), 4);
        assert_eq!(table.remove("missing"), None);
    }

    #[test]
    fn chains_put_the_newest_first_and_growth_reorders_like_bash() {
        // Keys k1..k3000: the table grows from 1024 to 4096 buckets at
        // the 2049th key. bash lists them starting with these.
        let table: AssocArray = (1..=3000).map(|i| (format!("k{i}"), "1")).collect();
        assert_eq!(table.bucket_count(), 4096);
        let first: Vec<&str> = keys(&table).into_iter().take(10).collect();
        assert_eq!(
            first,
            [
                "k1698", "k1699", "k1696", "k1697", "k1694", "k1695", "k1692", "k1693", "k1690",
                "k1691"
            ]
        );
    }

    #[test]
    fn unset_during_iteration_of_a_key_list() {
        let mut table: AssocArray = (0..100).map(|i| (i.to_string(), i.to_string())).collect();
        let listed: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        for (n, key) in listed.iter().enumerate() {
            if n % 2 == 0 {
                table.remove(key);
            }
        }
        let left: Vec<String> = listed.iter().skip(1).step_by(2).cloned().collect();
        assert_eq!(keys(&table), left);
        assert_eq!(table.len(), 50);
    }

    #[test]
    fn layout_rebuilds_the_same_table() {
        let mut table: AssocArray = (0..5000)
            .map(|i| (format!("k{i}"), i.to_string()))
            .collect();
        for i in (0..5000).step_by(3) {
            table.remove(&format!("k{i}"));
        }
        let copy = AssocArray::from_layout(
            table.bucket_count(),
            table.layout().map(|(k, v)| (k.to_string(), v.to_string())),
        );
        assert_eq!(copy, table);
        assert!(AssocArray::from_layout(0, Vec::new()).is_empty());
    }
}
