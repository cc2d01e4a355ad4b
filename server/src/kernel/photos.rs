//! Photo intake: accept JPEG, PNG or WebP only, decode within limits (a decompression bomb is refused
//! from its header), turn upright by the EXIF orientation, shrink to 2048 px, and re-encode as JPEG.
//! Re-encoding writes no metadata at all, so EXIF (GPS included) never reaches anyone else. The GPS
//! position is read first, so the form can offer to place the pin there.

use domain::cases::report::{PHOTO_MAX_BYTES, ReportProblem};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Longest side of the stored photo and of its thumbnail, in pixels.
pub const FULL_MAX_SIDE: u32 = 2048;
pub const THUMB_MAX_SIDE: u32 = 360;
/// Refused before any pixel is decoded: no phone takes photos larger than this.
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 50_000_000;
/// Decoder allocations per photo; a 50-megapixel RGB photo needs 150 MB.
pub const MAX_DECODE_BYTES: u64 = 160 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

#[derive(Debug, Clone)]
pub struct ProcessedPhoto {
    pub full_jpeg: Vec<u8>,
    pub thumb_jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Where the original said it was taken (WGS-84 lat, lng), if it said so.
    pub gps: Option<(f64, f64)>,
}

/// The cheap checks, done on every upload before anything is decoded.
pub fn precheck(bytes: &[u8]) -> Result<ImageFormat, ReportProblem> {
    if bytes.is_empty() {
        return Err(ReportProblem::PhotoEmpty);
    }
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(ReportProblem::PhotoTooLarge);
    }
    if is_heif(bytes) {
        return Err(ReportProblem::PhotoHeic);
    }
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(f),
        _ => Err(ReportProblem::PhotoNotImage),
    }
}

/// HEIC/HEIF (iPhones' default) starts with an ISO-BMFF `ftyp` box naming a HEIF brand.
fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1"
        )
}

/// Decodes, rotates, resizes and re-encodes one photo. CPU-heavy: call from a blocking thread.
pub fn process(bytes: &[u8]) -> Result<ProcessedPhoto, ReportProblem> {
    let format = precheck(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ReportProblem::PhotoTooManyPixels);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let gps = decoder
        .exif_metadata()
        .ok()
        .flatten()
        .and_then(|raw| gps_from_exif(&raw));
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    img.apply_orientation(orientation);
    let full = if img.width() > FULL_MAX_SIDE || img.height() > FULL_MAX_SIDE {
        img.resize(
            FULL_MAX_SIDE,
            FULL_MAX_SIDE,
            image::imageops::FilterType::Lanczos3,
        )
    } else {
        img
    };
    let thumb = full.thumbnail(THUMB_MAX_SIDE, THUMB_MAX_SIDE);
    Ok(ProcessedPhoto {
        full_jpeg: encode_jpeg(&full)?,
        thumb_jpeg: encode_jpeg(&thumb)?,
        width: full.width(),
        height: full.height(),
        gps,
    })
}

fn classify(e: image::ImageError) -> ReportProblem {
    match e {
        image::ImageError::Limits(_) => ReportProblem::PhotoTooManyPixels,
        image::ImageError::Unsupported(_) => ReportProblem::PhotoNotImage,
        _ => ReportProblem::PhotoUnreadable,
    }
}

fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, ReportProblem> {
    let mut out = Vec::new();
    // JPEG has no alpha: flatten onto white so transparent PNGs do not turn black.
    let rgb = flatten_on_white(img);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| ReportProblem::PhotoUnreadable)?;
    Ok(out)
}

fn flatten_on_white(img: &DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

/// The GPS position in a raw EXIF block (as the decoders hand it over), as signed decimal degrees.
pub fn gps_from_exif(raw: &[u8]) -> Option<(f64, f64)> {
    // Some decoders keep the "Exif\0\0" prefix of the JPEG segment; the rules read plain TIFF.
    domain::cases::exif::gps_from_tiff(raw.strip_prefix(b"Exif\0\0").unwrap_or(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heic_and_strangers_are_recognised_without_decoding() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert_eq!(precheck(&heic), Err(ReportProblem::PhotoHeic));
        assert_eq!(precheck(b""), Err(ReportProblem::PhotoEmpty));
        assert_eq!(
            precheck(b"just some text, renamed to .jpg"),
            Err(ReportProblem::PhotoNotImage)
        );
        // GIF is an image, but not one we accept.
        assert_eq!(
            precheck(b"GIF89a\x01\x00\x01\x00"),
            Err(ReportProblem::PhotoNotImage)
        );
        assert_eq!(
            precheck(&vec![0xFF; PHOTO_MAX_BYTES + 1]),
            Err(ReportProblem::PhotoTooLarge)
        );
    }
}
