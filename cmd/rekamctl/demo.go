package main

import (
	"bytes"
	stdctx "context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/rekam-ktp/rekam/enroll"
	"github.com/rekam-ktp/rekam/enroll/dedup"
	"github.com/rekam-ktp/rekam/enroll/dedup/index"
	"github.com/rekam-ktp/rekam/enroll/operator"
	"github.com/rekam-ktp/rekam/enroll/store"
	"github.com/rekam-ktp/rekam/simulators/synth"
	"github.com/rekam-ktp/rekam/sync/client"
	"github.com/rekam-ktp/rekam/sync/pusat"
	syncstation "github.com/rekam-ktp/rekam/sync/station"
)

func init() {
	register(&command{path: "demo", summary: "one scripted enrollment end to end without a window: capture, duplicate check, approval, seal, sync to a loopback rekam-pusat", run: runDemo})
}

// demoResident is the scripted resident: a man born 1 Jan 1990, first
// registered in Wado, Sumedang.
var demoResident = enroll.Resident{NIK: "3211010101900001", KK: "3211010101090001", Name: "ASEP SUNANDAR",
	BirthPlace: "SUMEDANG", BirthDate: "1990-01-01", Sex: 1, BloodType: 1, Religion: 1, Marital: 2, FamilyRelation: 1,
	Education: 5, Occupation: 15, MotherName: "IBU SITI", FatherName: "BAPAK UJANG", Address: "JL MERDEKA 1",
	RT: "001", RW: "002", DesaCode: "32.11.01.2001", Citizenship: 1}

type demoStep struct {
	Step   string  `json:"step"`
	Ms     float64 `json:"ms"`
	Detail string  `json:"detail,omitempty"`
}

func runDemo(cx *context, args []string) int {
	fs, c := newFlags(cx, "demo")
	keep := fs.Bool("keep", false, "keep the demo's station and server folders (printed at the end)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	root, err := os.MkdirTemp("", "rekam-demo-")
	if err != nil {
		return failf(cx, exitUsage, "demo: %v", err)
	}
	if !*keep {
		defer os.RemoveAll(root)
	}
	step := func(name string, fn func() (string, error)) error {
		start := time.Now()
		detail, err := fn()
		ms := float64(time.Since(start).Microseconds()) / 1000
		if c.jsonOut {
			emitJSON(cx, demoStep{Step: name, Ms: ms, Detail: detail})
		} else {
			fmt.Fprintf(cx.stdout, "%-34s %9.1f ms  %s\n", name, ms, detail)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	if err := demo(root, step); err != nil {
		return failf(cx, exitNegative, "demo: %v", err)
	}
	if *keep {
		fmt.Fprintf(cx.stderr, "rekamctl: demo: station and server kept in %s\n", root)
	}
	return exitOK
}

func demo(root string, step func(string, func() (string, error)) error) error {
	ctx, cancel := stdctx.WithCancel(stdctx.Background())
	defer cancel()
	data, cfgDir, srvDir := filepath.Join(root, "station"), filepath.Join(root, "station-config"), filepath.Join(root, "pusat")
	const pw = "demo-password-1"
	var st *station
	var op, sup *operator.Session
	var url, token string
	var enrollmentID int64
	var sy *syncstation.Syncer
	var chk *dedup.Checker
	served := make(chan struct{})
	defer func() { cancel(); <-served }()

	steps := []struct {
		name string
		fn   func() (string, error)
	}{
		{"national server: init and listen", func() (string, error) {
			if _, err := pusat.Init(srvDir, []string{"127.0.0.1"}); err != nil {
				return "", err
			}
			var err error
			if token, err = pusat.AddStation(srvDir, "ST-DEMO", "32.11.01"); err != nil {
				return "", err
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return "", err
			}
			go func() {
				pusat.Serve(ctx, srvDir, "", ln, slog.New(slog.NewTextHandler(io.Discard, nil)))
				close(served)
			}()
			url = "https://" + ln.Addr().String()
			return url, nil
		}},
		{"station: init, keys, accounts", func() (string, error) {
			if err := initStation(data, cfgDir, filepath.Join(data, store.FileName), store.Station{ID: "ST-DEMO", Kecamatan: "32.11.01"}, "admin", pw, "demo recovery phrase"); err != nil {
				return "", err
			}
			var err error
			o := &stationOpts{common: &common{data: data}, config: cfgDir}
			if st, err = o.open(&context{getenv: func(string) string { return "" }}); err != nil {
				return "", err
			}
			admin, err := st.s.Login(stationCtx, "admin", pw)
			if err != nil {
				return "", err
			}
			for _, a := range []struct {
				name string
				role operator.Role
			}{{"operator1", operator.RoleOperator}, {"supervisor1", operator.RoleSupervisor}} {
				if _, err := st.s.AddOperator(stationCtx, admin, a.name, a.role, pw); err != nil {
					return "", err
				}
			}
			return "station ST-DEMO, kecamatan 32.11.01", nil
		}},
		{"station: register with the server", func() (string, error) {
			reg, err := client.Register(ctx, url, token, "ST-DEMO", st.k.PublicKey())
			if err != nil {
				return "", err
			}
			return "mutual TLS certificate issued", syncstation.SaveRegistration(st.dir, reg)
		}},
		{"operator login", func() (string, error) {
			var err error
			op, err = st.s.Login(stationCtx, "operator1", pw)
			return "operator1", err
		}},
		{"NIK call-up and biodata check", func() (string, error) {
			warnings, err := validateResident(demoResident, nil)
			if err != nil {
				return "", err
			}
			rid, err := st.s.AddResident(stationCtx, op, demoResident)
			if err != nil {
				return "", err
			}
			enrollmentID, err = st.s.CreateEnrollment(stationCtx, op, rid)
			return fmt.Sprintf("NIK %s, %d warnings; enrollment %d (DRAFT)", maskNIK(demoResident.NIK), len(warnings), enrollmentID), err
		}},
		{"capture ten fingers (simulated)", func() (string, error) {
			total := 0
			for f := 1; f <= 10; f++ {
				var b bytes.Buffer
				if err := png.Encode(&b, synth.Finger(1, f, 0, synth.FingerOptions{})); err != nil {
					return "", err
				}
				total += b.Len()
				if err := st.s.SaveCapture(stationCtx, op, enrollmentID, fmt.Sprintf("finger.%02d", f), b.Bytes(), store.CaptureMeta{Format: "png", Quality: 70, Attempts: 1, Device: "simulated"}); err != nil {
					return "", err
				}
			}
			return fmt.Sprintf("10 fingers, %d KB, each saved as captured", total/1024), nil
		}},
		{"capture both irises (simulated)", func() (string, error) {
			for eye, name := range []string{"right", "left"} {
				var b bytes.Buffer
				if err := png.Encode(&b, synth.Iris(1, eye, 0)); err != nil {
					return "", err
				}
				if err := st.s.SaveCapture(stationCtx, op, enrollmentID, "iris."+name, b.Bytes(), store.CaptureMeta{Format: "png", Quality: 70, Attempts: 1, Device: "simulated"}); err != nil {
					return "", err
				}
			}
			return "right and left", nil
		}},
		{"capture face (simulated)", func() (string, error) {
			var b bytes.Buffer
			if err := png.Encode(&b, synth.Face(1, 0)); err != nil {
				return "", err
			}
			return "frontal", st.s.SaveCapture(stationCtx, op, enrollmentID, "face", b.Bytes(), store.CaptureMeta{Format: "png", Quality: 70, Attempts: 1, Device: "simulated"})
		}},
		{"capture signature (simulated pad)", func() (string, error) {
			pen, err := json.Marshal(synth.Signature(1, 0))
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%d pen samples", len(synth.Signature(1, 0))), st.s.SaveCapture(stationCtx, op, enrollmentID, "signature", pen, store.CaptureMeta{Format: "rekam-pen+json", Attempts: 1, Device: "simulated"})
		}},
		{"all captured (BIO_CAPTURED)", func() (string, error) {
			return "", st.s.Transition(stationCtx, op, enrollmentID, enroll.BioCaptured, "")
		}},
		{"local duplicate check (1:N)", func() (string, error) {
			// One checker: it searches now and learns the enrollment at
			// the seal.
			var err error
			if chk, err = dedup.Open(stationCtx, st.s, st.s.SystemSession("dedup"), index.DefaultPolicy); err != nil {
				return "", err
			}
			caps, err := st.s.Captures(stationCtx, op, enrollmentID)
			if err != nil {
				return "", err
			}
			probe, _ := dedup.ProbeFromCaptures(caps)
			res, err := chk.Check(stationCtx, op, enrollmentID, probe)
			if err != nil {
				return "", err
			}
			f, e := probe.Modalities()
			detail := fmt.Sprintf("%s: %d fingers + %d irises against %d identities, %d candidates", res.Decision, f, e, chk.Index.Len(), len(res.Biometric)+len(res.Demographic))
			if res.Decision != dedup.Clear {
				return detail, fmt.Errorf("the scripted resident is not clear (case %d)", res.CaseID)
			}
			return detail, nil
		}},
		{"supervisor approves", func() (string, error) {
			var err error
			if sup, err = st.s.Login(stationCtx, "supervisor1", pw); err != nil {
				return "", err
			}
			return "APPROVED by supervisor1", st.s.Transition(stationCtx, sup, enrollmentID, enroll.Approved, "demo: no duplicate candidates")
		}},
		{"seal (sign, encrypt, outbox)", func() (string, error) {
			reg, err := syncstation.LoadRegistration(st.dir)
			if err != nil {
				return "", err
			}
			path, err := (&syncstation.Sealer{Store: st.s, Keys: st.k, Reg: reg, DataDir: st.data, Dedup: chk}).Seal(stationCtx, sup, enrollmentID)
			if err != nil {
				return "", err
			}
			fi, _ := os.Stat(path)
			return fmt.Sprintf("PROCESSING, packet %d KB; dedup gallery now %d", fi.Size()/1024, chk.Index.Len()), nil
		}},
		{"sync: upload, receipt, status", func() (string, error) {
			reg, err := syncstation.LoadRegistration(st.dir)
			if err != nil {
				return "", err
			}
			if sy, err = syncstation.NewSyncer(st.s, reg, 0, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
				return "", err
			}
			rep, err := sy.Run(ctx, false)
			if err != nil {
				return "", err
			}
			e, err := st.s.Enrollment(stationCtx, sup, enrollmentID)
			return fmt.Sprintf("%d received with a signed receipt; enrollment now %s", rep.Received, e.State), err
		}},
		{"centre's decision (central dedup)", func() (string, error) {
			for deadline := time.Now().Add(60 * time.Second); ; {
				var rep syncstation.Report
				if err := sy.PullStatus(ctx, &rep); err != nil {
					return "", err
				}
				e, err := st.s.Enrollment(stationCtx, sup, enrollmentID)
				if err != nil {
					return "", err
				}
				if e.State != enroll.ReceivedAtCentral {
					return "enrollment now " + string(e.State), nil
				}
				if time.Now().After(deadline) {
					return "", fmt.Errorf("no decision from the centre within a minute")
				}
				time.Sleep(100 * time.Millisecond)
			}
		}},
	}
	defer func() {
		if st != nil {
			st.s.Close()
		}
	}()
	for _, s := range steps {
		if err := step(s.name, s.fn); err != nil {
			if url == "" {
				close(served)
			}
			return err
		}
	}
	return nil
}
