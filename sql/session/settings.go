package session

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/pgerror"
)

// setting describes one configuration parameter (GUC).
type setting struct {
	def string
	// reported settings are sent to the client in ParameterStatus.
	reported bool
	// check validates and canonicalises a new value.
	check func(v string) (string, error)
	desc  string
}

var settingDefs = map[string]*setting{
	"server_version":                      {def: funcs.ServerVersion, reported: true, desc: "Shows the server version."},
	"server_version_num":                  {def: funcs.ServerVersionNum, desc: "Shows the server version as an integer."},
	"server_encoding":                     {def: "UTF8", reported: true},
	"client_encoding":                     {def: "UTF8", reported: true, check: checkEncoding},
	"datestyle":                           {def: "ISO, MDY", reported: true, check: checkDateStyle},
	"timezone":                            {def: "UTC", reported: true, check: checkTimeZone},
	"intervalstyle":                       {def: "postgres", reported: true, check: checkEnum("postgres", "postgres_verbose", "sql_standard", "iso_8601")},
	"integer_datetimes":                   {def: "on", reported: true},
	"standard_conforming_strings":         {def: "on", reported: true, check: checkEnum("on")},
	"application_name":                    {def: "", reported: true},
	"is_superuser":                        {def: "on", reported: true},
	"session_authorization":               {def: "postgres", reported: true},
	"default_transaction_read_only":       {def: "off", reported: true, check: checkBool},
	"in_hot_standby":                      {def: "off", reported: true},
	"extra_float_digits":                  {def: "1", check: checkInt(-15, 3)},
	"search_path":                         {def: `"$user", public`},
	"statement_timeout":                   {def: "0", check: checkDuration},
	"lock_timeout":                        {def: "0", check: checkDuration},
	"idle_in_transaction_session_timeout": {def: "0", check: checkDuration},
	"default_transaction_isolation":       {def: "read committed", check: checkIsolation},
	"transaction_isolation":               {def: "read committed", check: checkIsolation},
	"transaction_read_only":               {def: "off", check: checkBool},
	"max_identifier_length":               {def: "63"},
	"max_index_keys":                      {def: "32"},
	"block_size":                          {def: "8192"},
	"lc_collate":                          {def: "C.UTF-8"},
	"lc_ctype":                            {def: "C.UTF-8"},
	"lc_messages":                         {def: "C.UTF-8"},
	"lc_monetary":                         {def: "C.UTF-8"},
	"lc_numeric":                          {def: "C.UTF-8"},
	"lc_time":                             {def: "C.UTF-8"},
	"client_min_messages":                 {def: "notice", check: checkEnum("debug5", "debug4", "debug3", "debug2", "debug1", "log", "notice", "warning", "error")},
	"synchronous_commit":                  {def: "on"},
	"bytea_output":                        {def: "hex", check: checkEnum("hex")},
	"row_security":                        {def: "on"},
	"max_connections":                     {def: "100"},
	"work_mem":                            {def: "4MB"},
	"maintenance_work_mem":                {def: "64MB"},
	"enable_seqscan":                      {def: "on", check: checkBool},
	"jit":                                 {def: "off", check: checkBool},
	"xmloption":                           {def: "content"},
	"escape_string_warning":               {def: "on", check: checkBool},
	"check_function_bodies":               {def: "on", check: checkBool},
	"default_tablespace":                  {def: ""},
	"default_with_oids":                   {def: "off"},
	"password_encryption":                 {def: "scram-sha-256"},
	"ssl":                                 {def: "off"},
	"wal_level":                           {def: "logical"},
	"max_wal_senders":                     {def: "10"},
	"timezone_abbreviations":              {def: "Default"},
	"transaction_deferrable":              {def: "off", check: checkBool},
	"default_transaction_deferrable":      {def: "off", check: checkBool},
	"log_statement":                       {def: "none"},
	"cluster_name":                        {def: ""},
	"data_directory_mode":                 {def: "0700"},
	"synchronize_seqscans":                {def: "on", check: checkBool},
	"quote_all_identifiers":               {def: "off", check: checkBool},
	"default_table_access_method":         {def: "heap"},
	"standard_conforming_strings_warning": {def: "off"},
	"lo_compat_privileges":                {def: "off", check: checkBool},
	"enable_partitionwise_aggregate":      {def: "off", check: checkBool},
	"max_parallel_workers_per_gather":     {def: "2"},
	"session_replication_role":            {def: "origin", check: checkEnum("origin", "replica", "local")},
	"default_toast_compression":           {def: "pglz"},
}

func checkEnum(vals ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		lv := strings.ToLower(v)
		for _, x := range vals {
			if lv == x {
				return x, nil
			}
		}
		return "", fmt.Errorf("invalid value")
	}
}

func checkBool(v string) (string, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1", "t", "y":
		return "on", nil
	case "off", "false", "no", "0", "f", "n":
		return "off", nil
	}
	return "", fmt.Errorf("requires a Boolean value")
}

func checkInt(lo, hi int) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("requires an integer value")
		}
		if n < lo || n > hi {
			return "", fmt.Errorf("%d is outside the valid range for parameter (%d .. %d)", n, lo, hi)
		}
		return strconv.Itoa(n), nil
	}
}

func checkEncoding(v string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(v, "-", ""), "_", "")) {
	case "UTF8", "UNICODE":
		return "UTF8", nil
	case "SQLASCII":
		return "SQL_ASCII", nil
	}
	return "", fmt.Errorf("invalid value")
}

func checkDateStyle(v string) (string, error) {
	style, order := "ISO", "MDY"
	for _, p := range strings.Split(v, ",") {
		switch strings.ToUpper(strings.TrimSpace(p)) {
		case "ISO":
			style = "ISO"
		case "POSTGRES", "SQL", "GERMAN":
			return "", fmt.Errorf("only ISO output is supported")
		case "MDY", "US", "NONEURO", "NONEUROPEAN":
			order = "MDY"
		case "DMY", "EURO", "EUROPEAN":
			order = "DMY"
		case "YMD":
			order = "YMD"
		case "DEFAULT", "":
		default:
			return "", fmt.Errorf("invalid value")
		}
	}
	return style + ", " + order, nil
}

// LoadTimeZone resolves a TimeZone setting.
func LoadTimeZone(v string) (*time.Location, string, error) {
	switch strings.ToLower(v) {
	case "utc", "gmt", "z", "zulu", "etc/utc", "default", "local":
		return time.UTC, "UTC", nil
	}
	if loc, err := time.LoadLocation(v); err == nil {
		return loc, v, nil
	}
	// A plain number of hours: SET TIME ZONE -5 (POSIX sign inverted, as PG).
	if h, err := strconv.ParseFloat(v, 64); err == nil {
		secs := int(h * 3600)
		return time.FixedZone(fmt.Sprintf("<%+03d>%+d", int(h), -int(h)), secs), v, nil
	}
	return nil, "", fmt.Errorf("invalid value")
}

func checkTimeZone(v string) (string, error) {
	_, canon, err := LoadTimeZone(v)
	return canon, err
}

func checkDuration(v string) (string, error) {
	_, err := parseDuration(v)
	if err != nil {
		return "", err
	}
	return v, nil
}

// parseDuration reads a GUC time value (default unit ms).
func parseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(n) * time.Millisecond, nil
	}
	units := []struct {
		s string
		d time.Duration
	}{{"ms", time.Millisecond}, {"s", time.Second}, {"min", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}, {"us", time.Microsecond}}
	for _, u := range units {
		if strings.HasSuffix(v, u.s) {
			n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, u.s)), 64)
			if err == nil {
				return time.Duration(n * float64(u.d)), nil
			}
		}
	}
	return 0, fmt.Errorf("invalid value")
}

func checkIsolation(v string) (string, error) {
	switch strings.ToLower(strings.Join(strings.Fields(v), " ")) {
	case "read committed", "read uncommitted":
		return "read committed", nil
	case "repeatable read":
		return "repeatable read", nil
	case "serializable":
		return "serializable", nil
	}
	return "", fmt.Errorf("invalid value")
}

// settingNames returns every known setting, sorted.
func settingNames() []string {
	out := make([]string, 0, len(settingDefs))
	for k := range settingDefs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// displayName is the spelling SHOW and ParameterStatus use.
func displayName(name string) string {
	switch name {
	case "datestyle":
		return "DateStyle"
	case "timezone":
		return "TimeZone"
	case "intervalstyle":
		return "IntervalStyle"
	}
	return name
}

func errUnknownSetting(name string) error {
	return pgerror.New(pgerror.UndefinedObject, "unrecognized configuration parameter %q", name)
}

func errBadValue(name, value string, err error) error {
	e := pgerror.New(pgerror.InvalidParameterValue, "invalid value for parameter %q: %q", name, value)
	if err != nil && err.Error() != "invalid value" {
		e.Detail = err.Error()
	}
	return e
}
