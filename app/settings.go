package app

import (
	"context"

	"github.com/reliefmesh/reliefmesh/desk"
)

// Locales the UI is translated into; the first is the default (desk.Locales).
var Locales = desk.Locales

// SettingsService keeps this device's local preferences (not replicated).
type SettingsService struct{ a *App }

// Startup is called by Wails when the window opens.
func (s *SettingsService) Startup(ctx context.Context) {}

// Shutdown is called by Wails when the window closes.
func (s *SettingsService) Shutdown() {}

// Locale returns the UI language chosen on this device, "zh-CN" by default
// (also when the store cannot be opened).
func (s *SettingsService) Locale() string {
	dk, err := s.a.desk()
	if err != nil {
		return Locales[0]
	}
	return dk.Locale()
}

// SetLocale stores the UI language (desk.Desk.SetLocale). Errors:
// CodeInvalid naming "locale" when it is not one of Locales; CodeStorage.
func (s *SettingsService) SetLocale(locale string) error {
	dk, err := s.a.desk()
	if err != nil {
		return err
	}
	return dk.SetLocale(locale)
}
