/** @type {import('next').NextConfig} */
export default {
  // Event streams must reach the browser as they are written, not once a compressor's buffer fills.
  compress: false,
};
