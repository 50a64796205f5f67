//! Page fingerprints: a serde `Serializer` that writes any template context as an unambiguous
//! byte stream (lengths before strings, tags before options, enums and sequences), hashed with
//! XXH3-128. Cheaper than JSON (nothing is escaped or formatted) and exact: two contexts with the
//! same stream serialise alike, so the template renders them alike.

use std::cell::RefCell;

use serde::ser::{self, Serialize};

thread_local! {
    /// The byte stream's buffer, one per render thread, reused from page to page (an
    /// allocation saved per page, not a cache: nothing in it outlives one fingerprint).
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The fingerprint of `template` rendered with `ctx`; `None` if the context cannot be serialised
/// (the page is then always rendered, and reports the error).
pub(crate) fn of<C: Serialize>(template: &str, ctx: &C) -> Option<u128> {
    BUF.with(|buf| {
        let mut buf = buf.borrow_mut();
        buf.clear();
        let mut s = Fp { buf: &mut buf };
        s.str(template);
        let ok = ctx.serialize(&mut s).is_ok();
        ok.then(|| xxhash_rust::xxh3::xxh3_128(&buf))
    })
}

struct Fp<'b> {
    buf: &'b mut Vec<u8>,
}

impl Fp<'_> {
    fn tag(&mut self, t: u8) {
        self.buf.push(t);
    }
    fn len(&mut self, n: usize) {
        self.buf.extend_from_slice(&(n as u64).to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.tag(b's');
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
}

#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }
}

type R = Result<(), Error>;

impl ser::Serializer for &mut Fp<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// The one serializer of views that is not human-readable: shared HTML and cards write
    /// their digest for it instead of their text (see `view::Html`), so a page's fingerprint
    /// costs 16 bytes per body, not the body.
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> R {
        self.tag(if v { b'T' } else { b'F' });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v as i64)
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v as i64)
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v as i64)
    }
    fn serialize_i64(self, v: i64) -> R {
        self.tag(b'i');
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.serialize_u64(v as u64)
    }
    fn serialize_u16(self, v: u16) -> R {
        self.serialize_u64(v as u64)
    }
    fn serialize_u32(self, v: u32) -> R {
        self.serialize_u64(v as u64)
    }
    fn serialize_u64(self, v: u64) -> R {
        self.tag(b'u');
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> R {
        self.tag(b'U');
        self.buf.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> R {
        self.tag(b'f');
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> R {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> R {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        self.tag(b'b');
        self.len(v.len());
        self.buf.extend_from_slice(v);
        Ok(())
    }
    fn serialize_none(self) -> R {
        self.tag(b'N');
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> R {
        self.tag(b'S');
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.tag(b'0');
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, i: u32, _: &'static str) -> R {
        self.tag(b'v');
        self.buf.extend_from_slice(&i.to_le_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        v: &T,
    ) -> R {
        self.tag(b'v');
        self.buf.extend_from_slice(&i.to_le_bytes());
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(b'[');
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        self.tag(b'(');
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(b'(');
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.tag(b'v');
        self.buf.extend_from_slice(&i.to_le_bytes());
        self.tag(b'(');
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(b'{');
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(b'{');
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.tag(b'v');
        self.buf.extend_from_slice(&i.to_le_bytes());
        self.tag(b'{');
        Ok(self)
    }
}

macro_rules! compound {
    ($trait:ident, $method:ident, $close:expr) => {
        impl ser::$trait for &mut Fp<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, v: &T) -> R {
                v.serialize(&mut **self)
            }
            fn end(self) -> R {
                self.tag($close);
                Ok(())
            }
        }
    };
}

compound!(SerializeSeq, serialize_element, b']');
compound!(SerializeTuple, serialize_element, b')');
compound!(SerializeTupleStruct, serialize_field, b')');
compound!(SerializeTupleVariant, serialize_field, b')');

impl ser::SerializeMap for &mut Fp<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> R {
        k.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(b'}');
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Fp<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> R {
        self.str(key);
        v.serialize(&mut **self)
    }
    fn skip_field(&mut self, key: &'static str) -> R {
        self.str(key);
        self.tag(b'_');
        Ok(())
    }
    fn end(self) -> R {
        self.tag(b'}');
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Fp<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> R {
        self.str(key);
        v.serialize(&mut **self)
    }
    fn end(self) -> R {
        self.tag(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct A {
        x: String,
        y: Option<Vec<u32>>,
    }

    #[test]
    fn different_contexts_differ() {
        let fp = |x: &str, y: Option<Vec<u32>>| {
            super::of(
                "page.html",
                &A {
                    x: x.to_string(),
                    y,
                },
            )
            .unwrap()
        };
        assert_eq!(fp("a", None), fp("a", None));
        assert_ne!(fp("a", None), fp("b", None));
        assert_ne!(fp("a", None), fp("a", Some(vec![])));
        assert_ne!(fp("a", Some(vec![1, 2])), fp("a", Some(vec![12])));
        // Lengths come before strings: no two splits of the same bytes collide.
        assert_ne!(fp("ab", Some(vec![])), fp("a", Some(vec![])));
        assert_ne!(
            super::of("page.html", &("ab", "c")),
            super::of("page.html", &("a", "bc"))
        );
        assert_ne!(super::of("page.html", &1u32), super::of("list.html", &1u32));
    }
}
