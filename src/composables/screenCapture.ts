/** Captures one frame of a screen, window or tab; the browser's getDisplayMedia by default, a fake in tests. */
export interface ScreenCaptureAdapter {
  /** One frame as an image file; rejects when the user refuses or nothing can be captured. */
  captureFrame(): Promise<Blob>
}

/** Whether the page can ask to capture the screen at all. */
export function canCaptureScreen(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function'
}

/** getDisplayMedia → one video frame → a PNG; the stream stops as soon as the frame is drawn. */
export const displayMediaCapture: ScreenCaptureAdapter = {
  async captureFrame() {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false })
    try {
      const video = document.createElement('video')
      video.muted = true
      video.srcObject = stream
      await video.play()
      const canvas = document.createElement('canvas')
      canvas.width = video.videoWidth
      canvas.height = video.videoHeight
      canvas.getContext('2d')?.drawImage(video, 0, 0)
      video.srcObject = null
      return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The frame could not be encoded.'))), 'image/png'))
    } finally {
      for (const track of stream.getTracks()) track.stop()
    }
  },
}
