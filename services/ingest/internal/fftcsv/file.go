package fftcsv

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

const saveAs = `in Excel use File > Save As and choose "CSV UTF-8 (Comma delimited) (*.csv)"`

// cleanFile checks that data is text a CSV reader can take and returns it without a byte order
// mark and with every line ending (CRLF, or CR alone from older Mac programs) made LF, so that
// line numbers from encoding/csv are the lines a text editor shows.
func cleanFile(data []byte) ([]byte, *FileError) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return nil, &FileError{Problem: `the file is saved as UTF-16 ("Unicode Text"), not as CSV; ` + saveAs}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return nil, &FileError{Problem: "the file is a spreadsheet workbook (.xlsx or .xls), not CSV; " + saveAs}
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &FileError{Problem: "the file is empty; it needs the header line date,answer,text,practice and then one line per card"}
	}
	if bad := firstInvalidUTF8(data); bad >= 0 {
		return nil, &FileError{Line: lineAt(data, bad), Problem: "this line is not UTF-8 text " +
			`(the file may have been saved as "CSV (Comma delimited)", which loses characters such as £ and ’); ` + saveAs}
	}
	if nul := bytes.IndexByte(data, 0); nul >= 0 {
		return nil, &FileError{Line: lineAt(data, nul), Problem: "this line has a NUL byte, so the file is not a CSV text file; " + saveAs}
	}
	for start, line := 0, 1; start < len(data); line++ {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data) - start
		}
		if end > MaxLineBytes {
			return nil, &FileError{Line: line, Problem: fmt.Sprintf(
				"this line is %d bytes long; a line may be at most %d bytes (64 KiB), and a card's text at most %d characters; check this is the right file",
				end, MaxLineBytes, MaxTextLength)}
		}
		start += end + 1
	}
	return data, nil
}

// firstInvalidUTF8 is the offset of the first byte of data that is not valid UTF-8, or -1.
func firstInvalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// lineAt is the 1-based line holding data[offset], with lines ended by LF.
func lineAt(data []byte, offset int) int {
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}
