// Package iddk drives iris and face cameras through an out-of-process
// camera helper that speaks a small JSON-lines protocol modelled on IriTech's
// IDDK 2000 API (Iddk_InitCamera, Iddk_StartCapture, Iddk_GetCaptureStatus,
// Iddk_GetStreamImage, Iddk_GetResultImage, Iddk_GetResultQuality): the
// vendor SDK stays in its own process (crashes, licences, glibc), and the
// simulator serves the same protocol. The codec is shared with the
// simulator; IrisDriver and FaceDriver implement the device interfaces.
package iddk

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/rekam-ktp/rekam/device"
)

// MaxLine bounds one protocol line (a 640×480 PNG in base64 fits easily).
const MaxLine = 4 << 20

// Capture status values (Iddk2000Defs.h IDDK_CAPTURE_STATUS).
const (
	StatusIdle      = 0
	StatusReady     = 1
	StatusCapturing = 2
	StatusComplete  = 3
	StatusAbort     = 5
)

// Operations.
const (
	OpDeviceInfo    = "get_device_info"
	OpInitCamera    = "init_camera"
	OpStartCapture  = "start_capture"
	OpCaptureStatus = "get_capture_status"
	OpStreamImage   = "get_stream_image"
	OpResultImage   = "get_result_image"
	OpResultQuality = "get_result_quality"
	OpStopCapture   = "stop_capture"
)

// Error names (IDDK result codes).
const (
	ErrIOTimeout        = "IDDK_DEVICE_IO_TIMEOUT"
	ErrIOFailed         = "IDDK_DEVICE_IO_FAILED"
	ErrNoQualifiedFrame = "IDDK_SE_NO_QUALIFIED_FRAME"
	ErrLeftUnqualified  = "IDDK_SE_LEFT_FRAME_UNQUALIFIED"
	ErrRightUnqualified = "IDDK_SE_RIGHT_FRAME_UNQUALIFIED"
	ErrDevBusy          = "IDDK_DEV_BUSY"
	ErrInvalidParam     = "IDDK_INVALID_PARAMETER"
)

// Request is one call.
type Request struct {
	ID  int    `json:"id"`
	Op  string `json:"op"`
	Eye string `json:"eye,omitempty"` // "left", "right", "both", "face"
}

// Response answers the request with the same ID.
type Response struct {
	ID         int    `json:"id"`
	Error      string `json:"error,omitempty"`
	Status     int    `json:"status,omitempty"`
	Width      int    `json:"width,omitempty"`
	Height     int    `json:"height,omitempty"`
	Image      []byte `json:"image,omitempty"` // PNG
	Score      int    `json:"total_score,omitempty"`
	UsableArea int    `json:"usable_area,omitempty"`
	Kind       string `json:"kind,omitempty"` // device info: "iris" or "face"
	Model      string `json:"model,omitempty"`
	Serial     string `json:"serial,omitempty"`
	Firmware   string `json:"firmware,omitempty"`
}

// Encode returns v as one JSON line.
func Encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("iddk: encode: %w", err)
	}
	return append(b, '\n'), nil
}

// Split cuts lines; a line longer than MaxLine is a protocol error.
func Split(buf []byte) (skip, n int, err error) {
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		if len(buf) > MaxLine {
			return 0, len(buf), device.NewProtocolError("iddk", "line too long", buf)
		}
		return 0, 0, nil
	}
	if i > MaxLine {
		return 0, i + 1, device.NewProtocolError("iddk", "line too long", buf[:i])
	}
	return 0, i + 1, nil
}

// DecodeRequest parses one request line.
func DecodeRequest(line []byte) (Request, error) {
	var r Request
	if err := json.Unmarshal(bytes.TrimSpace(line), &r); err != nil || r.Op == "" {
		return Request{}, device.NewProtocolError("iddk", "bad request", line)
	}
	return r, nil
}

// DecodeResponse parses one response line.
func DecodeResponse(line []byte) (Response, error) {
	var r Response
	if err := json.Unmarshal(bytes.TrimSpace(line), &r); err != nil {
		return Response{}, device.NewProtocolError("iddk", "bad response", line)
	}
	if r.Width < 0 || r.Height < 0 || r.Width > 8192 || r.Height > 8192 {
		return Response{}, device.NewProtocolError("iddk", "implausible image size", line)
	}
	return r, nil
}

// ErrorKind maps an IDDK error name to the device error kind.
func ErrorKind(name string) error {
	switch name {
	case ErrIOTimeout:
		return device.ErrTimeout
	case ErrIOFailed:
		return device.ErrSensorFault
	case ErrNoQualifiedFrame, ErrLeftUnqualified, ErrRightUnqualified:
		return device.ErrPoorQuality
	case ErrDevBusy:
		return device.ErrBusy
	}
	return device.ErrProtocol
}
