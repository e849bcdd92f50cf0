import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BookOutlined,
  CarryOutOutlined,
  ClusterOutlined,
  ContainerOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  EnvironmentOutlined,
  ExperimentOutlined,
  FileDoneOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FundOutlined,
  GlobalOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  LineChartOutlined,
  MedicineBoxOutlined,
  MoneyCollectOutlined,
  MonitorOutlined,
  ProfileOutlined,
  ReconciliationOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SmileOutlined,
  SolutionOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

// Menu icons arrive from the server by name; only these are bundled (unknown names get a default).
const ICONS: Record<string, ReactNode> = {
  AlertOutlined: <AlertOutlined />,
  ApartmentOutlined: <ApartmentOutlined />,
  ApiOutlined: <ApiOutlined />,
  AppstoreOutlined: <AppstoreOutlined />,
  AuditOutlined: <AuditOutlined />,
  BarChartOutlined: <BarChartOutlined />,
  BookOutlined: <BookOutlined />,
  CarryOutOutlined: <CarryOutOutlined />,
  ClusterOutlined: <ClusterOutlined />,
  ContainerOutlined: <ContainerOutlined />,
  DatabaseOutlined: <DatabaseOutlined />,
  DeploymentUnitOutlined: <DeploymentUnitOutlined />,
  EnvironmentOutlined: <EnvironmentOutlined />,
  ExperimentOutlined: <ExperimentOutlined />,
  FileDoneOutlined: <FileDoneOutlined />,
  FileProtectOutlined: <FileProtectOutlined />,
  FileSearchOutlined: <FileSearchOutlined />,
  FundOutlined: <FundOutlined />,
  GlobalOutlined: <GlobalOutlined />,
  HeartOutlined: <HeartOutlined />,
  HomeOutlined: <HomeOutlined />,
  IdcardOutlined: <IdcardOutlined />,
  LineChartOutlined: <LineChartOutlined />,
  MedicineBoxOutlined: <MedicineBoxOutlined />,
  MoneyCollectOutlined: <MoneyCollectOutlined />,
  MonitorOutlined: <MonitorOutlined />,
  ProfileOutlined: <ProfileOutlined />,
  ReconciliationOutlined: <ReconciliationOutlined />,
  SafetyCertificateOutlined: <SafetyCertificateOutlined />,
  ScheduleOutlined: <ScheduleOutlined />,
  SettingOutlined: <SettingOutlined />,
  SmileOutlined: <SmileOutlined />,
  SolutionOutlined: <SolutionOutlined />,
  SwapOutlined: <SwapOutlined />,
  TeamOutlined: <TeamOutlined />,
  UserOutlined: <UserOutlined />,
};

const SYSTEM_ICONS: Record<string, ReactNode> = {
  platform: <SettingOutlined />,
  'hospital-monitoring': <MedicineBoxOutlined />,
  'health-network': <HeartOutlined />,
  'family-planning': <SmileOutlined />,
};

export function menuIcon(name: string | null | undefined): ReactNode {
  return (name && ICONS[name]) || <AppstoreOutlined />;
}

export function systemIcon(code: string): ReactNode {
  return SYSTEM_ICONS[code] ?? <AppstoreOutlined />;
}
