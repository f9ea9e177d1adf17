import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

/** Toggles Tiếng Việt ⇄ English; the button shows the language it switches to. */
export function LanguageSwitch({ testId = 'lang-switch', ghost = false }: { testId?: string; ghost?: boolean }) {
  const { t, i18n } = useTranslation();
  const isEnglish = i18n.language?.startsWith('en');
  const next = isEnglish ? 'vi' : 'en';
  return (
    <Button
      data-testid={testId}
      icon={<GlobalOutlined />}
      ghost={ghost}
      aria-label={t('shell.language')}
      title={t('shell.language')}
      onClick={() => void i18n.changeLanguage(next)}
    >
      {t(`language.${next}`)}
    </Button>
  );
}
