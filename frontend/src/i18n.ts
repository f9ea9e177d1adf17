import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setDateLocale } from './lib/dates';
import en from './locales/en.json';
import vi from './locales/vi.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'cainghien.lang';

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'vi') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'vi';
}

const lng = initialLanguage();
setDateLocale(lng);

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng,
  fallbackLng: 'vi',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lang) => {
  setDateLocale(lang);
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
});
document.documentElement.lang = lng;

export function currentLanguage(): Language {
  return i18n.language?.startsWith('en') ? 'en' : 'vi';
}

export default i18n;
