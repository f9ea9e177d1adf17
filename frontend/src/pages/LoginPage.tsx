import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../api/problem';
import { homePath, isPathAllowed } from '../auth/menu';
import { useHasSession, useLogin } from '../auth/session';
import { useErrorMessage } from '../components/ErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';

interface LoginValues {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  const hasSession = useHasSession();
  const navigate = useNavigate();
  const location = useLocation();
  const describe = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (hasSession && !submitting) return <Navigate to={from ?? '/'} replace />;

  const onFinish = async ({ username, password }: LoginValues) => {
    setError(null);
    setSubmitting(true);
    try {
      const me = await login(username.trim(), password);
      const back = from && from !== '/login' && from !== '/' && isPathAllowed(me.roles, from) ? from : null;
      navigate(back ?? homePath(me.roles) ?? '/', { replace: true });
    } catch (e) {
      if (isApiError(e) && e.status === 401) setError(t('login.wrongCredentials'));
      else setError(describe(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="login-page">
      <Card className="login-card">
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <LanguageSwitch testId="login-lang-switch" />
        </div>
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 8 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {t('login.subtitle')}
        </Typography.Paragraph>
        {error && (
          <div data-testid="login-error" role="alert" style={{ marginBottom: 16 }}>
            <Alert type="error" showIcon message={error} />
          </div>
        )}
        <Form<LoginValues> layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input data-testid="login-username" prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password data-testid="login-password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button data-testid="login-submit" type="primary" htmlType="submit" block loading={submitting}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
