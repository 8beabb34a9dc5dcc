package app

import "context"

// Locales the UI is translated into; the first is the default.
var Locales = []string{"zh-CN", "en"}

// SettingsService keeps this device's local preferences (not replicated).
type SettingsService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *SettingsService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *SettingsService) Shutdown() {}

// Locale returns the UI language chosen on this device, "zh-CN" by default.
func (s *SettingsService) Locale() string {
	st, err := s.a.store()
	if err != nil {
		return Locales[0]
	}
	if v, ok := st.Setting("locale"); ok {
		return v
	}
	return Locales[0]
}

// SetLocale stores the UI language. Errors: CodeInvalid naming "locale" when it
// is not one of Locales.
func (s *SettingsService) SetLocale(locale string) error {
	valid := false
	for _, l := range Locales {
		valid = valid || l == locale
	}
	if !valid {
		return fieldError(CodeInvalid, "locale", "%q is not a supported language", locale)
	}
	st, err := s.a.store()
	if err != nil {
		return err
	}
	return asError(st.SetSetting("locale", locale))
}
