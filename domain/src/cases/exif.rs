//! The GPS position in a photo's EXIF block, read without any library so the browser can offer
//! "place the pin where the photo was taken" before uploading, and the server reads it the same way.
//! Every read is bounds-checked: a malformed file gives `None`, never a panic.

/// The TIFF-structured EXIF block inside a JPEG (its APP1 "Exif" segment), if there is one.
pub fn jpeg_exif(jpeg: &[u8]) -> Option<&[u8]> {
    if jpeg.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    loop {
        let marker = jpeg.get(at..at + 2)?;
        if marker[0] != 0xFF {
            return None;
        }
        // Start of scan: no metadata after this.
        if marker[1] == 0xDA {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*jpeg.get(at + 2)?, *jpeg.get(at + 3)?]));
        let body = jpeg.get(at + 4..at + 2 + len)?;
        if marker[1] == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some(&body[6..]);
        }
        at += 2 + len;
    }
}

/// Signed decimal degrees (lat, lng) from a TIFF-structured EXIF block.
pub fn gps_from_tiff(tiff: &[u8]) -> Option<(f64, f64)> {
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = tiff.get(o..o + 2)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b = tiff.get(o..o + 4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Some(if big {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    };
    // The entry with `tag` in the IFD at `ifd`: (type, count, value-or-offset field position).
    let find = |ifd: usize, tag: u16| -> Option<(u16, u32, usize)> {
        let n = usize::from(u16_at(ifd)?);
        (0..n.min(512)).find_map(|i| {
            let e = ifd + 2 + i * 12;
            (u16_at(e)? == tag).then(|| Some((u16_at(e + 2)?, u32_at(e + 4)?, e + 8)))?
        })
    };
    let ifd0 = usize::try_from(u32_at(4)?).ok()?;
    let (_, _, gps_ptr) = find(ifd0, 0x8825)?;
    let gps = usize::try_from(u32_at(gps_ptr)?).ok()?;
    let reference = |tag: u16| -> Option<u8> {
        let (typ, _, field) = find(gps, tag)?;
        (typ == 2).then(|| tiff.get(field).copied())?
    };
    let degrees = |tag: u16| -> Option<f64> {
        let (typ, count, field) = find(gps, tag)?;
        if typ != 5 || count != 3 {
            return None;
        }
        let at = usize::try_from(u32_at(field)?).ok()?;
        let part = |i: usize| -> Option<f64> {
            let (num, den) = (u32_at(at + i * 8)?, u32_at(at + i * 8 + 4)?);
            (den != 0).then(|| f64::from(num) / f64::from(den))
        };
        Some(part(0)? + part(1)? / 60.0 + part(2)? / 3600.0)
    };
    let lat = degrees(2)? * if reference(1)? == b'S' { -1.0 } else { 1.0 };
    let lng = degrees(4)? * if reference(3)? == b'W' { -1.0 } else { 1.0 };
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) && (lat, lng) != (0.0, 0.0))
        .then_some((lat, lng))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TIFF block with a GPS IFD: 24°30'0" N/S, 118°6'0" E/W.
    fn tiff(big: bool, lat_ref: u8, lng_ref: u8) -> Vec<u8> {
        let w16 = |v: u16| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let w32 = |v: u32| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut t = if big {
            b"MM\0\x2a".to_vec()
        } else {
            b"II\x2a\0".to_vec()
        };
        t.extend(w32(8));
        t.extend(w16(1));
        t.extend(w16(0x8825));
        t.extend(w16(4));
        t.extend(w32(1));
        t.extend(w32(26));
        t.extend(w32(0));
        t.extend(w16(4));
        let mut entry = |tag: u16, typ: u16, count: u32, value: [u8; 4]| {
            t.extend(w16(tag));
            t.extend(w16(typ));
            t.extend(w32(count));
            t.extend(value);
        };
        entry(1, 2, 2, [lat_ref, 0, 0, 0]);
        entry(2, 5, 3, w32(80));
        entry(3, 2, 2, [lng_ref, 0, 0, 0]);
        entry(4, 5, 3, w32(104));
        t.extend(w32(0));
        for (n, d) in [(24, 1), (30, 1), (0, 1), (118, 1), (6, 1), (0, 1)] {
            t.extend(w32(n));
            t.extend(w32(d));
        }
        t
    }

    #[test]
    fn reads_gps_in_both_byte_orders_and_hemispheres() {
        let (lat, lng) = gps_from_tiff(&tiff(true, b'N', b'E')).unwrap();
        assert!((lat - 24.5).abs() < 1e-9 && (lng - 118.1).abs() < 1e-9);
        assert_eq!(gps_from_tiff(&tiff(false, b'N', b'E')), Some((lat, lng)));
        let (s, w) = gps_from_tiff(&tiff(false, b'S', b'W')).unwrap();
        assert!(s < 0.0 && w < 0.0);
    }

    #[test]
    fn finds_the_exif_segment_in_a_jpeg() {
        let t = tiff(true, b'N', b'E');
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xE1];
        jpeg.extend(((t.len() + 8) as u16).to_be_bytes());
        jpeg.extend(b"Exif\0\0");
        jpeg.extend(&t);
        jpeg.extend([0xFF, 0xDA, 0, 2]);
        assert_eq!(jpeg_exif(&jpeg), Some(&t[..]));
        assert!(jpeg_exif(b"\x89PNG").is_none());
        assert!(jpeg_exif(&[0xFF, 0xD8, 0xFF, 0xDA]).is_none());
    }

    #[test]
    fn malformed_blocks_give_none_and_never_panic() {
        let good = tiff(false, b'N', b'E');
        for cut in 0..good.len() {
            let _ = gps_from_tiff(&good[..cut]);
            let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF];
            jpeg.extend(&good[..cut]);
            let _ = jpeg_exif(&jpeg);
        }
        let mut zero_den = good.clone();
        zero_den[84..88].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(gps_from_tiff(&zero_den), None);
        let mut wild = good;
        wild[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(gps_from_tiff(&wild), None);
        assert_eq!(gps_from_tiff(b"XX"), None);
    }
}
