namespace Retrieval.Core.Imaging;

/// <summary>
/// EXIF orientation (tag 0x0112, values 1-8): how the stored pixels must be turned to be shown upright. Cameras store
/// the sensor's rows and record the turn; every viewer applies it, so training and serving must too.
/// </summary>
public static class ImageOrientation
{
    /// <summary>
    /// The upright image for stored pixels carrying EXIF <paramref name="orientation"/> (1 or unknown = as stored).
    /// Per the EXIF table, the stored first row / first column lie along the shown side: 2 top/right, 3 bottom/right,
    /// 4 bottom/left, 5 left/top, 6 right/top, 7 right/bottom, 8 left/bottom.
    /// </summary>
    public static RgbImage ToUpright(RgbImage stored, int orientation)
    {
        if (orientation is < 2 or > 8) return stored;
        int w = stored.Width, h = stored.Height;
        bool swap = orientation >= 5;
        var upright = swap ? new RgbImage(h, w) : new RgbImage(w, h);
        var src = stored.Pixels;
        var dst = upright.Pixels;
        for (int yd = 0; yd < upright.Height; yd++)
        {
            for (int xd = 0; xd < upright.Width; xd++)
            {
                var (xs, ys) = orientation switch
                {
                    2 => (w - 1 - xd, yd),
                    3 => (w - 1 - xd, h - 1 - yd),
                    4 => (xd, h - 1 - yd),
                    5 => (yd, xd),
                    6 => (yd, h - 1 - xd),
                    7 => (w - 1 - yd, h - 1 - xd),
                    _ => (w - 1 - yd, xd),
                };
                int s = stored.IndexOf(xs, ys), d = upright.IndexOf(xd, yd);
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return upright;
    }
}
