import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Modal, Space } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, useErrorMessage } from '../../../components/ErrorAlert';
import { applyServerErrors } from '../../../features/forms/serverErrors';
import { LoadMore } from '../../../features/lists/LoadMore';
import { useAddRecord, useRecords, type RecordKind, type RecordTypes } from '../../../features/records/hooks';
import { ResponsiveTable } from '../../../components/ResponsiveTable';

export interface RecordTabProps<K extends RecordKind, V extends object> {
  personId: string;
  kind: K;
  /** Prefix of the test ids: `${testId}-add`, `-form`, `-submit`, `-table`, `-form-error`. */
  testId: string;
  addLabel: string;
  columns: TableColumnsType<RecordTypes[K]['item']>;
  /** The add form's fields (antd Form.Items; may use Form.useFormInstance). */
  Fields: ComponentType;
  initialValues: () => Partial<V>;
  toBody: (values: V) => RecordTypes[K]['create'];
  /** Form field paths (dotted) that server errors can attach to. */
  knownFields: readonly string[];
  /** No new records (closed file). */
  readOnly?: boolean;
  extra?: React.ReactNode;
}

/** A list of records on a person file, newest as the server orders them, with an add form in a dialog. */
export function RecordTab<K extends RecordKind, V extends object>({
  personId,
  kind,
  testId,
  addLabel,
  columns,
  Fields,
  initialValues,
  toBody,
  knownFields,
  readOnly,
  extra,
}: RecordTabProps<K, V>) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const list = useRecords(personId, kind);
  const add = useAddRecord(personId, kind);
  const [form] = Form.useForm<V>();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  const onFinish = async (values: V) => {
    setErrors([]);
    try {
      await add.mutateAsync(toBody(values));
      void message.success(t('records.saved'));
      setOpen(false);
    } catch (e) {
      setErrors(applyServerErrors(form, e, knownFields, i18n.language, describe));
    }
  };

  // A fresh form (new defaults such as today's date) each time the dialog opens.
  const [session, setSession] = useState(0);
  const openForm = () => {
    setErrors([]);
    setSession((n) => n + 1);
    setOpen(true);
  };

  return (
    <div data-testid={`${testId}-tab`}>
      <div className="page-toolbar" style={{ justifyContent: 'space-between' }}>
        <Space>{extra}</Space>
        {!readOnly && (
          <Button data-testid={`${testId}-add`} type="primary" icon={<PlusOutlined />} onClick={openForm}>
            {addLabel}
          </Button>
        )}
      </div>
      {list.isError && (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={list.error} testId={`${testId}-list-error`} />
        </div>
      )}
      <ResponsiveTable<RecordTypes[K]['item']>
        data-testid={`${testId}-table`}
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.isPending}
        pagination={false}
        size="middle"
        scroll={{ x: 700 }}
        locale={{ emptyText: t('records.empty') }}
      />
      <LoadMore
        testId={`${testId}-load-more`}
        hasNextPage={list.hasNextPage}
        isFetchingNextPage={list.isFetchingNextPage}
        fetchNextPage={list.fetchNextPage}
      />
      <Modal
        open={open}
        title={addLabel}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        width={640}
        footer={
          <Space>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button data-testid={`${testId}-submit`} type="primary" loading={add.isPending} onClick={() => form.submit()}>
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        {errors.length > 0 && (
          <div data-testid={`${testId}-form-error`} style={{ marginBottom: 16 }}>
            <Alert type="error" showIcon message={errors.join('; ')} />
          </div>
        )}
        <Form<V>
          key={session}
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={initialValues()}
          data-testid={`${testId}-form`}
        >
          <Fields />
        </Form>
      </Modal>
    </div>
  );
}
