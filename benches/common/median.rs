//! The median of a bench's samples, shared by the interleaved benches (`validate_ab`,
//! `stream_ab`, `roundtrip`) through `#[path]`.

/// The median of `samples` (the mean of the two middle ones for an even count).
pub fn median(samples: &[f64]) -> f64 {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
